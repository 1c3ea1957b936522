// The router on several cores: main.ts with ROUTER_WORKERS=2 in a child process, as in
// production. Both workers answer on the one port, /metrics sums them, a subscription works,
// SIGHUP reaches every worker, a killed worker is replaced, and SIGTERM stops everything.
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphql as execute, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import WebSocket, { WebSocketServer } from 'ws';
import { waitFor } from '@supergraph/kit/testing';
import { WORKER_HEADER } from '../src/router.js';

const ROOT = join(__dirname, '..', '..');
const K = 20;
const START_MS = 120_000;
const REQUEST_TIMEOUT_MS = 15_000;

/** The subgraph's schema; the router starts on a supergraph without `farewell` (SIGHUP). */
const TYPE_DEFS = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  type Query { greeting: String farewell: String }
  type Subscription { ticks(count: Int!): Int }
`;
const WITHOUT_FAREWELL = TYPE_DEFS.replace(' farewell: String', '');

function supergraphOf(url: string, typeDefs: string): string {
  const { supergraphSdl, errors } = composeServices([
    { name: 'ticker', url, typeDefs: parse(typeDefs) },
  ]);
  if (errors) throw errors[0];
  return supergraphSdl!;
}

/** A subgraph with a query over HTTP and a subscription over graphql-ws. */
async function startTicker() {
  const schema = buildSubgraphSchema({
    typeDefs: parse(TYPE_DEFS),
    resolvers: {
      Query: { greeting: () => 'hello', farewell: () => 'bye' },
      Subscription: {
        ticks: {
          async *subscribe(_: unknown, { count }: { count: number }) {
            for (let tick = 1; tick <= count; tick += 1) yield { ticks: tick };
          },
        },
      },
    } as never,
  });
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { query, variables } = JSON.parse(body) as { query: string; variables?: never };
      void execute({ schema, source: query, variableValues: variables }).then((result) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(result));
      });
    });
  });
  const sockets = new WebSocketServer({ server, path: '/graphql' });
  const disposable = useServer({ schema }, sockets);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async close() {
      await disposable.dispose();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request on a connection of its own: the cluster hands out connections, not requests,
 * so a fresh one may land on any worker. */
function send(url: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        agent: false,
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, headers: response.headers, body: text }),
        );
      },
    );
    // A hang guard: a connection handed to a worker as it dies is never answered.
    outgoing.setTimeout(REQUEST_TIMEOUT_MS, () =>
      outgoing.destroy(new Error(`no answer from ${url} in ${REQUEST_TIMEOUT_MS} ms`)),
    );
    outgoing.on('error', reject);
    outgoing.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** The sum of a metric's samples whose labels include `labels` (`a="b"` pieces). */
function sampleSum(text: string, name: string, labels: string[] = []): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => labels.every((label) => line.includes(label)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('the router with ROUTER_WORKERS=2', () => {
  let ticker: Awaited<ReturnType<typeof startTicker>>;
  let router: ChildProcess;
  let output = '';
  let dir: string;
  let url: string;
  let metricsUrl: string;
  const pids = new Set<number>();

  const alive = () => router.exitCode === null && router.signalCode === null;
  const workerPid = async () => {
    const answer = await send(url.replace('/graphql', '/readyz'));
    return (JSON.parse(answer.body) as { worker: { pid: number } }).worker.pid;
  };
  const metrics = async () => {
    const answer = await send(metricsUrl);
    if (answer.status !== 200) throw new Error(`/metrics answered ${answer.status}`);
    return answer.body;
  };
  const hello = () => send(url, { query: 'query Hello { greeting }' });

  beforeAll(async () => {
    ticker = await startTicker();
    dir = mkdtempSync(join(tmpdir(), 'router-cluster-'));
    writeFileSync(join(dir, 'supergraph.graphql'), supergraphOf(ticker.url, WITHOUT_FAREWELL));
    const [port, metricsPort] = [await freePort(), await freePort()];
    url = `http://127.0.0.1:${port}/graphql`;
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    router = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'router/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env['PATH'],
          NODE_ENV: 'test',
          LOG_LEVEL: 'error',
          HOST: '127.0.0.1',
          PORT: String(port),
          METRICS_PORT: String(metricsPort),
          ROUTER_WORKERS: '2',
          SUPERGRAPH_PATH: join(dir, 'supergraph.graphql'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    router.stdout!.on('data', (chunk) => (output += chunk));
    router.stderr!.on('data', (chunk) => (output += chunk));
    // Ready once both workers have answered (round robin hands connections to each in turn).
    await waitFor(
      async () => {
        if (!alive()) throw new Error(`the router exited: ${output}`);
        pids.add(await workerPid());
        return pids.size === 2;
      },
      'both workers to answer',
      START_MS,
    );
  }, START_MS + 10_000);

  afterAll(async () => {
    if (router && alive()) {
      const exited = new Promise((resolve) => router.once('exit', resolve));
      router.kill('SIGKILL');
      await exited;
    }
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await ticker?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers queries on both workers, and /metrics counts them all', async () => {
    const answers = [];
    for (let i = 0; i < K; i += 1) answers.push(await hello());
    for (const answer of answers) {
      expect(JSON.parse(answer.body)).toEqual({ data: { greeting: 'hello' } });
    }
    const workers = new Set(answers.map((answer) => answer.headers[WORKER_HEADER]));
    expect(workers.size).toBe(2);
    await waitFor(
      async () => sampleSum(await metrics(), 'graphql_requests_total', ['operation="Hello"']) === K,
      `graphql_requests_total{operation="Hello"} to sum to ${K} across the workers`,
    );
    const text = await metrics();
    expect(sampleSum(text, 'router_workers')).toBe(2);
    // One breaker state per subgraph (the worst of the workers').
    expect(sampleSum(text, 'router_breaker_state', ['subgraph="ticker"'])).toBe(0);
  });

  it('serves a subscription over graphql-ws', async () => {
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const ticks: unknown[] = [];
      await new Promise<void>((resolve, reject) => {
        client.subscribe(
          { query: 'subscription { ticks(count: 3) }' },
          { next: (value) => ticks.push(value.data), error: reject, complete: resolve },
        );
      });
      expect(ticks).toEqual([{ ticks: 1 }, { ticks: 2 }, { ticks: 3 }]);
    } finally {
      await client.dispose();
    }
  });

  it('passes SIGHUP on to every worker, which loads the supergraph file again', async () => {
    const farewell = () => send(url, { query: '{ farewell }' });
    expect(JSON.parse((await farewell()).body).errors).toBeDefined();
    writeFileSync(join(dir, 'supergraph.graphql'), supergraphOf(ticker.url, TYPE_DEFS));
    router.kill('SIGHUP');
    const answeredBy = new Set<unknown>();
    await waitFor(async () => {
      const answer = await farewell();
      if (JSON.parse(answer.body).data?.farewell === 'bye')
        answeredBy.add(answer.headers[WORKER_HEADER]);
      return answeredBy.size === 2;
    }, 'both workers to answer { farewell }');
  });

  it(
    'replaces a worker killed with SIGKILL and keeps answering',
    async () => {
      const victim = await workerPid();
      process.kill(victim, 'SIGKILL');
      // Once the primary has seen it die, new connections go to the worker still running.
      await waitFor(
        async () => sampleSum(await metrics(), 'router_worker_restarts_total') === 1,
        'the primary to replace the worker',
      );
      for (let i = 0; i < 4; i += 1) {
        expect(JSON.parse((await hello()).body)).toEqual({ data: { greeting: 'hello' } });
      }
      let replacement: number | undefined;
      await waitFor(
        async () => {
          const pid = await workerPid();
          if (!pids.has(pid)) replacement = pid;
          return replacement !== undefined;
        },
        'the new worker to answer',
        START_MS,
      );
      pids.add(replacement!);
      expect(sampleSum(await metrics(), 'router_workers')).toBe(2);
    },
    START_MS + 10_000,
  );

  it('stops the primary and every worker on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) =>
      router.once('exit', (code) => resolve(code)),
    );
    router.kill('SIGTERM');
    expect(await exited).toBe(0);
    const running = [...pids].filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(running).toEqual([]);
  });
});
