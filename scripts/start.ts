// `npm start`: the six services as separate processes on their ports (embedded databases in
// .data/), security first, the router last once every subgraph answers /readyz. Prints the
// URLs and a bearer token of the demo user (development only). A service that exits later is
// restarted with backoff (scripts/supervisor.ts) while the router serves partial data;
// Ctrl-C stops them all. START_PORT_BASE moves all six ports (router on the base, the
// subgraphs on base+1 … base+5), e.g. to run a second copy beside the first (with its own
// DATA_DIR).
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '@supergraph/kit';
import { z } from 'zod';
import { parseConfig as securityConfig } from '../subgraphs/security/src/config.js';
import { createSupervisor, type ServiceSpec } from './supervisor.js';

const ROOT = resolve(__dirname, '..');
const HOST = '127.0.0.1';
const DEFAULT_PORT_BASE = 4000;
// A guard against a service that hangs, not a speed expectation: six processes compiling
// TypeScript and opening embedded databases at once take minutes on a busy machine.
const READY_TIMEOUT_MS = 180_000;
const READY_POLL_MS = 250;

/** In start order; `offset` from START_PORT_BASE gives the ports of the README's table. */
const services = [
  { name: 'security', offset: 3, entry: 'subgraphs/security/src/main.ts' },
  { name: 'memory', offset: 1, entry: 'subgraphs/memory/src/main.ts' },
  { name: 'provider', offset: 2, entry: 'subgraphs/provider/src/main.ts' },
  { name: 'ui', offset: 4, entry: 'subgraphs/ui/src/main.ts' },
  { name: 'tools', offset: 5, entry: 'subgraphs/tools/src/main.ts' },
  { name: 'router', offset: 0, entry: 'router/src/main.ts' },
] as const;
type Service = (typeof services)[number];

const MAX_OFFSET = Math.max(...services.map(({ offset }) => offset));
const startEnv = z.object({
  START_PORT_BASE: z.coerce
    .number()
    .int()
    .min(1)
    .max(65_535 - MAX_OFFSET)
    .default(DEFAULT_PORT_BASE),
});

const supervisor = createSupervisor();

function readyz(name: string, port: number) {
  return async (signal: AbortSignal) => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`http://${HOST}:${port}/readyz`, { signal });
        await response.body?.cancel();
        if (response.ok) return;
      } catch (error) {
        if (signal.aborted) throw error;
        // not listening yet
      }
      await sleep(READY_POLL_MS, undefined, { signal });
    }
    throw new Error(`${name} did not answer /readyz on port ${port} within ${READY_TIMEOUT_MS} ms`);
  };
}

/** How each service is run, with every address derived from one port base. */
function specs(portBase: number) {
  const port = ({ offset }: Service) => portBase + offset;
  const url = (name: string, path: string) =>
    `http://${HOST}:${port(services.find((service) => service.name === name)!)}${path}`;
  const subgraphUrls = services
    .filter(({ name }) => name !== 'router')
    .map(({ name }) => `${name}=${url(name, '/graphql')}`)
    .join(',');
  return services.map((service): ServiceSpec & { port: number } => ({
    name: service.name,
    port: port(service),
    command: process.execPath,
    args: ['--conditions=source', '--import', 'tsx', service.entry],
    cwd: ROOT,
    env: {
      NODE_ENV: 'development',
      ...process.env,
      PORT: String(port(service)),
      HOST,
      SECURITY_JWKS_URL: url('security', '/.well-known/jwks.json'),
      ...(service.name === 'router' ? { SUBGRAPH_URLS: subgraphUrls } : {}),
    },
    ready: readyz(service.name, port(service)),
  }));
}

async function demoToken(routerPort: number): Promise<string | undefined> {
  const { demoUser } = securityConfig({ NODE_ENV: 'development', ...process.env });
  if (!demoUser) return undefined;
  const response = await fetch(`http://${HOST}:${routerPort}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($i: LoginInput!) { login(input: $i) { token } }',
      variables: { i: demoUser },
    }),
  });
  const body = (await response.json()) as { data?: { login: { token: string } } };
  return body.data?.login.token;
}

const stopAll = (code: number) => supervisor.stop().then(() => process.exit(code));

async function main() {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const { START_PORT_BASE } = loadConfig(startEnv, process.env);
  const [security, ...rest] = specs(START_PORT_BASE);
  const router = rest.pop()!;

  await supervisor.start(security!);
  await Promise.all(rest.map((subgraph) => supervisor.start(subgraph)));
  await supervisor.start(router);

  const token = await demoToken(router.port);
  console.log(`
  The supergraph is up.
    GraphiQL   http://localhost:${router.port}/graphql
${[security!, ...rest, router].map(({ name, port }) => `    ${name.padEnd(10)} http://${HOST}:${port}/graphql`).join('\n')}
${
  token
    ? `
  Demo user (development only): demo@example.com / demo-password, role admin.
  In GraphiQL, press Sign in (the demo user is filled in); it renews the token itself.
  For other clients, a token (15 minutes; the login mutation gives a new one):
    Authorization: Bearer ${token}`
    : ''
}
  A service that exits is restarted (with backoff); Ctrl-C stops everything.`);
}

main().catch((error: Error) => {
  if (supervisor.stopping) return; // Ctrl-C during start-up
  console.error(`${error.message}; stopping everything.`);
  void stopAll(1);
});
