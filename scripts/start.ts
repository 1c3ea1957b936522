// `npm start`: the six services as separate processes on their ports (embedded databases in
// .data/), security first, the router last once every subgraph answers /readyz. Prints the
// URLs and a bearer token of the demo user (development only). Ctrl-C stops them all.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { parseConfig as securityConfig } from '../subgraphs/security/src/config.js';

const ROOT = resolve(__dirname, '..');
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 250;

const services = [
  { name: 'security', port: 4003, entry: 'subgraphs/security/src/main.ts' },
  { name: 'memory', port: 4001, entry: 'subgraphs/memory/src/main.ts' },
  { name: 'provider', port: 4002, entry: 'subgraphs/provider/src/main.ts' },
  { name: 'ui', port: 4004, entry: 'subgraphs/ui/src/main.ts' },
  { name: 'tools', port: 4005, entry: 'subgraphs/tools/src/main.ts' },
  { name: 'router', port: 4000, entry: 'router/src/main.ts' },
] as const;

const children = new Map<string, ChildProcess>();
let stopping = false;

function launch({ name, port, entry }: (typeof services)[number]) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { NODE_ENV: 'development', ...process.env, PORT: String(port), HOST },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `${name.padEnd(8)}|`;
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) console.log(prefix, line);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping everything.`);
      void stopAll(1);
    }
  });
  children.set(name, child);
}

async function waitReady(name: string, port: number) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!children.has(name)) throw new Error(`${name} exited before it was ready`);
    try {
      const response = await fetch(`http://${HOST}:${port}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, READY_POLL_MS));
  }
  throw new Error(`${name} did not answer /readyz on port ${port} within ${READY_TIMEOUT_MS} ms`);
}

async function stopAll(code: number) {
  stopping = true;
  const exits = [...children.values()].map(
    (child) => new Promise((done) => child.once('exit', done)),
  );
  for (const child of children.values()) child.kill('SIGTERM');
  await Promise.all(exits);
  process.exit(code);
}

async function demoToken(): Promise<string | undefined> {
  const { demoUser } = securityConfig({ NODE_ENV: 'development', ...process.env });
  if (!demoUser) return undefined;
  const response = await fetch(`http://${HOST}:4000/graphql`, {
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

async function main() {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const [security, ...rest] = services;
  const subgraphs = rest.slice(0, -1);
  const router = services[services.length - 1]!;

  launch(security);
  await waitReady(security.name, security.port);
  subgraphs.forEach(launch);
  await Promise.all(subgraphs.map(({ name, port }) => waitReady(name, port)));
  launch(router);
  await waitReady(router.name, router.port);

  const token = await demoToken();
  console.log(`
  The supergraph is up.
    GraphiQL   http://localhost:4000/graphql
${services.map(({ name, port }) => `    ${name.padEnd(10)} http://${HOST}:${port}/graphql`).join('\n')}
${
  token
    ? `
  Demo user (development only): demo@example.com / demo-password, role admin.
  In GraphiQL, open Headers and paste:
    {"Authorization": "Bearer ${token}"}
  The token expires in 15 minutes; the login mutation gives a new one.`
    : ''
}
  Ctrl-C stops everything.`);
}

main().catch((error: Error) => {
  console.error(error.message);
  void stopAll(1);
});
