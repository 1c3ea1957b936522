// Child process of the gateways benchmark: the four subgraphs on free ports of 127.0.0.1, each
// counting the requests it receives. It tells its parent the URLs over IPC once it listens and
// answers `counts` messages, so that the parent can weigh subgraph requests per client request.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUBGRAPHS, createBenchSubgraph } from './subgraphs.js';

export type SubgraphsMessage =
  | { type: 'ready'; urls: Record<string, string> }
  | { type: 'counts'; counts: Record<string, number> };

const counts: Record<string, number> = {};
const servers: Server[] = [];

async function listen(name: string): Promise<string> {
  const yoga = createBenchSubgraph(SUBGRAPHS[name]!);
  counts[name] = 0;
  const server = createServer((request, response) => {
    counts[name]! += 1;
    void yoga(request, response);
  });
  // Gateways keep their connections alive; Node's 5 s default would close idle ones mid-run.
  server.keepAliveTimeout = 60_000;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function main() {
  const urls: Record<string, string> = {};
  for (const name of Object.keys(SUBGRAPHS)) urls[name] = await listen(name);
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'counts') process.send!({ type: 'counts', counts: { ...counts } });
  });
  // The parent going away ends this process too.
  process.on('disconnect', () => {
    for (const server of servers) server.closeAllConnections();
    process.exit(0);
  });
  process.send!({ type: 'ready', urls } satisfies SubgraphsMessage);
}

void main();
