// `npm run bench -- auth`: what sign-in costs. (a) Password logins/s and (b) refreshes/s of the
// security subgraph alone on one core: its own process pinned to core 0 (taskset), with the
// argon2id parameters of subgraphs/security/src/passwords.ts, driven by concurrent clients in
// this process pinned to core 1. (c) What checking a bearer token adds at the router: the same
// `{ __typename }` (answered by the router itself) with and without a valid token, the router in
// its own process on core 0. Prints a table beside Keycloak's sizing guide. Loopback only;
// stops by itself. The database is the embedded PGlite (in the pinned process, so its CPU is
// counted), or with DATABASE_URL a fresh database on that PostgreSQL server (its CPU not
// counted, as in Keycloak's guide, which sizes the database apart).
// Knobs: AUTH_BENCH_DURATION_S (15, each measured window), AUTH_BENCH_WARMUP_S (3),
// AUTH_BENCH_CLIENTS (16, concurrent clients of (a) and (b)), AUTH_BENCH_ROUTER_CLIENTS (4),
// AUTH_BENCH_ROUNDS (3: (c)'s window is split into rounds that alternate with and without).
import { parseOptions } from '@node-rs/argon2';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase } from '@supergraph/kit/testing';
import { hashPassword } from '../../subgraphs/security/src/passwords.js';
import { freePort } from '../child-service.js';
import { PINNED, cpuMs, spawnNode, stopChild } from './gateways/processes.js';
import { UNTHROTTLED } from './request.js';
import { startRouterProcess } from './router-process.js';
import { ascending, percentile } from './stats.js';
import { count } from './settings.js';

const SERVICE_CORE = 0;
const LOAD_CORE = 1;
const READY_TIMEOUT_MS = 120_000;
const READY_POLL_MS = 250;
/** Keycloak's "Concepts for sizing CPU and memory resources" (keycloak.org, high
 * availability guide): per vCPU, 15 password-based logins/s and 120 refresh requests/s. */
const KEYCLOAK_PER_VCPU = { logins: 15, refreshes: 120 };
const PASSWORD = 'a long password of the auth benchmark';

const readSettings = () => ({
  durationS: count('AUTH_BENCH_DURATION_S', 15),
  warmupS: count('AUTH_BENCH_WARMUP_S', 3),
  clients: count('AUTH_BENCH_CLIENTS', 16),
  routerClients: count('AUTH_BENCH_ROUTER_CLIENTS', 4),
  rounds: count('AUTH_BENCH_ROUNDS', 3),
  databaseUrl: process.env['DATABASE_URL'],
});
type Settings = ReturnType<typeof readSettings>;

/** Pins every thread of process `pid` to `cores` (a taskset list such as `1` or `0,1`). */
const pin = (pid: number, cores: string) =>
  execFileSync('taskset', ['-a', '-c', '-p', cores, String(pid)], { stdio: 'ignore' });

/** The cores this process may run on now, as a taskset list. */
const ownCores = () =>
  /: (.+)$/.exec(
    execFileSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' }).trim(),
  )![1]!;

/** One GraphQL POST; its `data`, or a failure that says what came back instead. */
async function post(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`${response.status} ${JSON.stringify(body)}`);
  return body.data;
}

interface Window {
  /** Operations completed in the measured window. */
  done: number;
  windowS: number;
  /** CPU time of the measured process over the window. */
  cpuS: number;
  latenciesMs: number[];
}

/**
 * Runs one loop per client (each its own operation, one at a time) for the warm-up and then
 * the measured window, while reading the CPU time of process `pid` at the window's edges.
 * Any failed operation fails the run.
 */
async function drive(
  clients: (() => Promise<void>)[],
  pid: number,
  { warmupS, durationS }: Pick<Settings, 'warmupS' | 'durationS'>,
): Promise<Window> {
  let measuring = false;
  let stopped = false;
  let failure: unknown;
  const latenciesMs: number[] = [];
  const loops = clients.map(async (operation) => {
    while (!stopped && failure === undefined) {
      const started = performance.now();
      try {
        await operation();
      } catch (error) {
        failure ??= error;
        return;
      }
      if (measuring) latenciesMs.push(performance.now() - started);
    }
  });
  await sleep(warmupS * 1000);
  measuring = true;
  const cpuBefore = cpuMs(pid);
  const openedAt = performance.now();
  await sleep(durationS * 1000);
  measuring = false;
  const windowS = (performance.now() - openedAt) / 1000;
  const cpuS = (cpuMs(pid) - cpuBefore) / 1000;
  stopped = true;
  await Promise.all(loops);
  if (failure !== undefined) throw new Error(`an operation failed: ${String(failure)}`);
  return { done: latenciesMs.length, windowS, cpuS, latenciesMs };
}

/** The security subgraph's main.ts in its own process on SERVICE_CORE; resolves when ready. */
async function startSecurity(databaseEnv: Record<string, string>) {
  const port = await freePort();
  const child = spawnNode('subgraphs/security/src/main.ts', SERVICE_CORE, {
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...databaseEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the security subgraph exited (${child.exitCode})`);
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error('the security subgraph did not become ready');
    }
    await sleep(READY_POLL_MS);
  }
  return { child, pid: child.pid!, base, url: `${base}/graphql` };
}

const SIGN_UP = 'mutation($i: SignUpInput!) { signUp(input: $i) { token refreshToken } }';
const LOGIN = 'mutation($i: LoginInput!) { login(input: $i) { token } }';
const REFRESH = 'mutation($t: String!) { refreshSession(refreshToken: $t) { token refreshToken } }';

interface Figures {
  perS: number;
  /** Share of one core the measured process used. */
  coreUse: number;
  /** Operations per second of CPU time of the measured process. */
  perCoreS: number;
  p50: number;
  p99: number;
}

/** Windows of one variant taken as one. */
const merged = (windows: Window[]): Window => ({
  done: windows.reduce((sum, w) => sum + w.done, 0),
  windowS: windows.reduce((sum, w) => sum + w.windowS, 0),
  cpuS: windows.reduce((sum, w) => sum + w.cpuS, 0),
  latenciesMs: windows.flatMap((w) => w.latenciesMs),
});

function figuresOf({ done, windowS, cpuS, latenciesMs }: Window): Figures {
  const sorted = ascending(latenciesMs);
  return {
    perS: done / windowS,
    coreUse: cpuS / windowS,
    perCoreS: cpuS > 0 ? done / cpuS : NaN,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** The argon2id parameters a password stored by the security subgraph carries. */
async function argon2Parameters(): Promise<string> {
  const stored = await hashPassword(PASSWORD);
  const { memoryCost, timeCost, parallelism, outputLen } = parseOptions(stored);
  const algorithm = stored.split('$')[1];
  return `${algorithm} m=${memoryCost} KiB (${(memoryCost / 1024).toFixed(0)} MiB), t=${timeCost}, p=${parallelism}, ${outputLen}-byte hash (@node-rs/argon2 defaults)`;
}

async function measureSignIns(settings: Settings, databaseEnv: Record<string, string>) {
  const security = await startSecurity(databaseEnv);
  try {
    // One account per client: an account's budget of failed logins is not what is measured.
    const accounts = await Promise.all(
      Array.from({ length: settings.clients }, async (_, i) => {
        const input = { email: `bench-auth-${i}@example.com`, password: PASSWORD };
        const data = await post(security.url, SIGN_UP, { i: input });
        return { input, ...(data['signUp'] as { token: string; refreshToken: string }) };
      }),
    );
    const logins = figuresOf(
      await drive(
        accounts.map(
          ({ input }) =>
            () =>
              post(security.url, LOGIN, { i: input }).then(() => {}),
        ),
        security.pid,
        settings,
      ),
    );
    const refreshes = figuresOf(
      await drive(
        accounts.map((account) => async () => {
          const data = await post(security.url, REFRESH, { t: account.refreshToken });
          account.refreshToken = (data['refreshSession'] as { refreshToken: string }).refreshToken;
        }),
        security.pid,
        settings,
      ),
    );
    return { security, logins, refreshes, token: accounts[0]!.token };
  } catch (error) {
    await stopChild(security.child);
    throw error;
  }
}

async function measureTokenCheck(settings: Settings, securityUrl: string, token: string) {
  const router = await startRouterProcess({ security: securityUrl }, UNTHROTTLED);
  try {
    if (PINNED) pin(router.child.pid!, String(SERVICE_CORE));
    const clients = (bearer?: string) =>
      Array.from({ length: settings.routerClients }, () => async () => {
        const data = await post(router.url, '{ __typename }', {}, bearer);
        if (data['__typename'] !== 'Query') throw new Error(`answered ${JSON.stringify(data)}`);
      });
    // Rounds alternate between the two, so that a drift of the machine's other load during
    // the run weighs on both alike; each variant's rounds are then taken as one sample.
    const windowS = settings.durationS / settings.rounds;
    const rounds: { anonymous: Window[]; bearer: Window[] } = { anonymous: [], bearer: [] };
    for (let round = 0; round < settings.rounds; round += 1) {
      const timing = { warmupS: round === 0 ? settings.warmupS : 0, durationS: windowS };
      rounds.anonymous.push(await drive(clients(), router.child.pid!, timing));
      rounds.bearer.push(await drive(clients(token), router.child.pid!, timing));
    }
    const anonymous = figuresOf(merged(rounds.anonymous));
    const bearer = figuresOf(merged(rounds.bearer));
    return { anonymous, bearer };
  } finally {
    await router.stop();
  }
}

const num = (value: number, digits = 0, width = 8) => value.toFixed(digits).padStart(width);

export async function auth(): Promise<void> {
  const settings = readSettings();
  const restoreCores = PINNED ? ownCores() : undefined;
  // Other work on the machine stretches latencies and takes cores from the pinned processes:
  // the report says how busy it was.
  const loadAtStart = loadavg()[0]!;
  const database = settings.databaseUrl
    ? await createTestDatabase(settings.databaseUrl, 'bench_auth')
    : undefined;
  const databaseEnv: Record<string, string> = database
    ? { DATABASE_URL: database.url }
    : { DATA_DIR: 'memory://' };
  try {
    if (PINNED) pin(process.pid, String(LOAD_CORE));
    const { security, logins, refreshes, token } = await measureSignIns(settings, databaseEnv);
    let check: Awaited<ReturnType<typeof measureTokenCheck>>;
    try {
      check = await measureTokenCheck(settings, security.url, token);
    } finally {
      await stopChild(security.child);
    }
    const where = PINNED
      ? `security subgraph pinned to core ${SERVICE_CORE} (taskset), clients in this process on core ${LOAD_CORE}`
      : 'taskset is absent: nothing is pinned, so the figures are per process, not per core';
    console.log(
      `\nauth: ${where}; 127.0.0.1, plain HTTP; ${cpus().length} cores, load average ${loadAtStart.toFixed(2)} at start (other work may share them)`,
    );
    console.log(`  passwords: ${await argon2Parameters()}`);
    console.log(
      `  database: ${database ? `PostgreSQL at ${new URL(settings.databaseUrl!).host} (its CPU not counted)` : 'embedded PGlite in the security process (its CPU counted)'}`,
    );
    console.log(
      `  ${settings.clients} clients (one account each, one request at a time: latencies include the queue), ${settings.warmupS} s warm-up, ${settings.durationS} s measured per row`,
    );
    console.log(
      '  operation             per s  core use  per core-s   p50 ms   p99 ms  Keycloak/vCPU  ours/Keycloak',
    );
    const row = (name: string, f: Figures, keycloak: number) =>
      `  ${name.padEnd(18)} ${num(f.perS, 1)} ${num(f.coreUse, 2, 9)} ${num(f.perCoreS, 1, 11)} ${num(f.p50, 1)} ${num(f.p99, 1)} ${num(keycloak, 0, 14)} ${num(f.perCoreS / keycloak, 2, 13)}×`;
    console.log(row('password logins', logins, KEYCLOAK_PER_VCPU.logins));
    console.log(row('refreshes', refreshes, KEYCLOAK_PER_VCPU.refreshes));
    console.log(
      "  (Keycloak's figures: its sizing guide, per vCPU, for its own login flow and token endpoint, database apart.)",
    );

    console.log(
      `\n  token check at the router: { __typename } (answered by the router), router on core ${SERVICE_CORE}, ${settings.routerClients} clients, ${settings.rounds} alternating rounds of ${(settings.durationS / settings.rounds).toFixed(1)} s each`,
    );
    console.log('  request               per s  router CPU µs/req   p50 ms   p99 ms');
    const routerRow = (name: string, f: Figures) =>
      `  ${name.padEnd(18)} ${num(f.perS)} ${num(1e6 / f.perCoreS, 0, 18)} ${num(f.p50, 2)} ${num(f.p99, 2)}`;
    console.log(routerRow('no token', check.anonymous));
    console.log(routerRow('bearer token', check.bearer));
    console.log(
      `  ${'token check adds'.padEnd(18)} ${' '.repeat(8)} ${num(1e6 / check.bearer.perCoreS - 1e6 / check.anonymous.perCoreS, 0, 18)} ${num(check.bearer.p50 - check.anonymous.p50, 2)} ${num(check.bearer.p99 - check.anonymous.p99, 2)}`,
    );
  } finally {
    if (restoreCores) pin(process.pid, restoreCores);
    await database?.drop();
  }
}
