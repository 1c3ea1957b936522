// `npm run bench -- gateways`: The Guild's federation gateways benchmark rebuilt here (four
// subgraphs, the deep TestQuery), run against plain @apollo/gateway and our router one after
// the other, each on core 0 while the subgraphs and autocannon share core 1. Prints req/s,
// latency, the gateway's CPU and subgraph requests per client request, and the ratio to plain.
// Knobs: GATEWAYS_BENCH_DURATION_S (10), _ROUNDS (3), _CONNECTIONS (50), _ONLY=plain,ours,
// _ROUTER_ENV='A=1,B=2' (added to every router variant), _PROFILE=dir (CPU profiles and their
// top functions), _WRITE_EXPECTED=true (rewrites expected.json from plain's answer: read it).
import { composeServices } from '@apollo/composition';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'graphql';
import { ROOT, freePort } from '../../child-service.js';
import { UNTHROTTLED } from '../request.js';
import { topSelfTime, type Span } from './cpu-profile.js';
import type { LoadResult, LoadRun, LoadWindow } from './load-worker.js';
import { PINNED, cpuMs, spawnNode, stopChild } from './processes.js';
import { TEST_QUERY } from './query.js';
import type { SubgraphsMessage } from './subgraphs-main.js';
import { SUBGRAPHS } from './subgraphs.js';
import { count } from '../settings.js';

const HERE = 'tests/bench/gateways';
const EXPECTED_FILE = resolve(ROOT, HERE, 'expected.json');
const GATEWAY_CORE = 0;
const LOAD_CORE = 1;
const READY_TIMEOUT_MS = 120_000;
const READY_POLL_MS = 250;
const WARMUP_S = 3;
/** High enough that our router neither queues nor sheds anything at 50 connections. */
const NO_SHEDDING = { ROUTER_MAX_CONCURRENCY: '100000', ROUTER_MAX_QUEUE: '100000' };
/** The deep query costs about 100,000 by the router's list-size estimate (ten times its default
 * limit); plain @apollo/gateway has no such limit, and it is not what is measured. */
const NO_COST_LIMIT = { LIMIT_MAX_COST: '100000000' };
/** Breakers stay on, but a subgraph fetch may take as long as the load maker waits for an
 * answer (plain @apollo/gateway has no deadline at all): on a busy machine the 10 s default
 * failed a few fetches queued behind 50 deep queries, and the run with them. */
const FETCH_DEADLINE = { BREAKER_TIMEOUT_MS: '60000' };

/** A gateway under test: its entry script, and what its process gets. */
export interface GatewayRow {
  name: string;
  script: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
}

const PLAIN: GatewayRow = { name: 'plain', script: `${HERE}/plain-gateway.ts` };

/** Our router's variants; add a row to weigh a setting against the others in the same run
 * (V8 flags go in `nodeArgs`: `--max-semi-space-size=64` was tried and left out, its rounds
 * varied more than it changed them). */
export const ROUTER_VARIANTS: GatewayRow[] = [
  {
    name: 'ours, no shared fetches',
    script: 'router/src/main.ts',
    env: { SUBGRAPH_SHARE_IN_FLIGHT: 'false' },
  },
  { name: 'ours', script: 'router/src/main.ts' },
  {
    name: 'ours + inbound dedup',
    script: 'router/src/main.ts',
    env: { ROUTER_DEDUPLICATE_INBOUND: 'true' },
  },
];

const readSettings = () => ({
  durationS: count('GATEWAYS_BENCH_DURATION_S', 10),
  rounds: count('GATEWAYS_BENCH_ROUNDS', 3),
  connections: count('GATEWAYS_BENCH_CONNECTIONS', 50),
  only: process.env['GATEWAYS_BENCH_ONLY']?.split(',').map((name) => name.trim()),
  /** `A=1,B=2`: added to every router variant's environment. */
  routerEnv: Object.fromEntries(
    (process.env['GATEWAYS_BENCH_ROUTER_ENV'] ?? '')
      .split(',')
      .filter(Boolean)
      .map((entry) => entry.split(/=(.*)/s).slice(0, 2) as [string, string]),
  ),
  profileDir: process.env['GATEWAYS_BENCH_PROFILE']
    ? resolve(process.env['GATEWAYS_BENCH_PROFILE'])
    : undefined,
  /** Writes expected.json from plain @apollo/gateway's answer instead of checking it. */
  writeExpected: process.env['GATEWAYS_BENCH_WRITE_EXPECTED'] === 'true',
});

/** Read when the benchmark starts, so that a bad knob fails it and not every benchmark's import. */
let settings: ReturnType<typeof readSettings>;

type Round = LoadResult & Spent;

/** What a process child says first over IPC, or a failure if it exits before. */
function firstMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolvePromise(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`a child exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function startSubgraphs() {
  const child = spawnNode(`${HERE}/subgraphs-main.ts`, LOAD_CORE, {
    env: { NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { urls } = await firstMessage<Extract<SubgraphsMessage, { type: 'ready' }>>(child, 'ready');
  const counts = async () => {
    const reply = firstMessage<Extract<SubgraphsMessage, { type: 'counts' }>>(child, 'counts');
    child.send({ type: 'counts' });
    return Object.values((await reply).counts).reduce((sum, count) => sum + count, 0);
  };
  return { child, urls, counts };
}

/** The supergraph of the four subgraphs at `urls`, composed like schema/compose.ts does. */
function compose(urls: Record<string, string>): string {
  const result = composeServices(
    Object.entries(SUBGRAPHS).map(([name, { sdl }]) => ({
      name,
      url: urls[name]!,
      typeDefs: parse(sdl),
    })),
  );
  if (result.errors) throw new Error(`composition failed: ${result.errors.join('; ')}`);
  return result.supergraphSdl;
}

const BODY = JSON.stringify({ query: TEST_QUERY, operationName: 'TestQuery' });

/** The gateway's answer to the deep query, or undefined while it cannot answer yet. */
async function ask(url: string): Promise<{ status: number; text: string } | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    });
    return { status: response.status, text: await response.text() };
  } catch {
    return undefined;
  }
}

/** Fails loudly unless `answer` is the reference answer. */
function check(name: string, when: string, answer: { status: number; text: string } | undefined) {
  const expected: unknown = JSON.parse(readFileSync(EXPECTED_FILE, 'utf8'));
  if (answer?.status !== 200 || !isDeepStrictEqual(JSON.parse(answer.text), expected))
    throw new Error(
      `${name} answered the deep query wrongly ${when} (HTTP ${answer?.status}): ` +
        `${answer?.text.slice(0, 500)}`,
    );
}

async function startGateway(row: GatewayRow, supergraphPath: string, jwksUrl: string) {
  const port = await freePort();
  const profileArgs = settings.profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${settings.profileDir}`]
    : [];
  const child = spawnNode(row.script, GATEWAY_CORE, {
    nodeArgs: [...(row.nodeArgs ?? []), ...profileArgs],
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      SUPERGRAPH_PATH: supergraphPath,
      // The rest is our router's; plain @apollo/gateway reads none of it.
      // Nothing is signed in the benchmark: the JWKS is never fetched.
      SECURITY_JWKS_URL: jwksUrl,
      ...UNTHROTTLED,
      ...NO_SHEDDING,
      ...NO_COST_LIMIT,
      ...FETCH_DEADLINE,
      ...row.env,
    },
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${row.name} exited (${child.exitCode})`);
    const answer = await ask(url);
    if (answer?.status === 200) return { child, url, first: answer };
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`${row.name} did not answer within ${READY_TIMEOUT_MS} ms`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, READY_POLL_MS));
  }
}

/** What the gateway spent over a window: CPU ms of its process and subgraph requests. */
interface Spent {
  cpuMs: number;
  subgraphRequests: number;
  /** CPU ms of the subgraphs and the load maker, which share a core: near 100% of the
   * window, the gateway is not the bottleneck and its figures mean little. */
  loadSideCpuMs: number;
}

function loadRunner() {
  const child = spawnNode(`${HERE}/load-worker.ts`, LOAD_CORE, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  /** One continuous load; `sample` is read when the measured window opens and closes. */
  const run = async (options: Omit<LoadRun, 'type'>, sample: () => Promise<Spent>) => {
    const edges: Promise<Spent>[] = [];
    const onWindow = (message: LoadWindow) => {
      if (message.type === 'window') edges.push(sample());
    };
    child.on('message', onWindow);
    const reply = firstMessage<LoadResult>(child, 'result');
    child.send({ type: 'run', ...options } satisfies LoadRun);
    const result = await reply.finally(() => child.off('message', onWindow));
    const failures = result.errors + result.non2xx + result.mismatches;
    if (failures > 0)
      throw new Error(
        `${failures} answers were not the expected one (errors ${result.errors}, timeouts ` +
          `${result.timeouts}, non-2xx ${result.non2xx}, other bodies ${result.mismatches})` +
          (result.firstMismatch ? `; the first other body: ${result.firstMismatch}` : ''),
      );
    const [opened, closed] = await Promise.all(edges);
    if (!opened || !closed) throw new Error('the load worker did not report its window');
    return {
      ...result,
      cpuMs: closed.cpuMs - opened.cpuMs,
      subgraphRequests: closed.subgraphRequests - opened.subgraphRequests,
      loadSideCpuMs: closed.loadSideCpuMs - opened.loadSideCpuMs,
    };
  };
  return { child, run };
}

const median = (rounds: Round[]) => [...rounds].sort((a, b) => a.rps - b.rps)[rounds.length >> 1]!;

/** The profile of the main thread of process `pid` (CPU.<date>.<time>.<pid>.<thread>.<n>);
 * worker threads, such as tsx's loader, write their own. */
function profileOf(pid: number): string | undefined {
  const file = readdirSync(settings.profileDir!).find((name) =>
    new RegExp(`^CPU\\.\\d+\\.\\d+\\.${pid}\\.0\\.\\d+\\.cpuprofile$`).test(name),
  );
  return file && join(settings.profileDir!, file);
}

function printProfile(name: string, pid: number, spans: Span[]) {
  const path = profileOf(pid);
  if (!path) throw new Error(`${name} wrote no .cpuprofile into ${settings.profileDir}`);
  const { rows, share } = topSelfTime(path, ROOT, { spans });
  console.log(
    `\n${name}: top functions by self time in the measured windows, ` +
      `${(100 * share).toFixed(0)}% of the profile's time (${path})`,
  );
  for (const { name: fn, location, percent } of rows)
    console.log(`  ${percent.toFixed(1).padStart(5)}%  ${fn}  ${location}`);
}

/** Now on the monotonic clock of CPU profiles, in microseconds. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

function printTable(results: { name: string; round: Round }[]) {
  const plain = results.find((result) => result.name === 'plain')?.round.rps;
  const columns = [
    'gateway',
    'req/s',
    'p50 ms',
    'p99 ms',
    'CPU %',
    'CPU ms/req',
    'subgraph req/req',
    'vs plain',
    'load side CPU %',
  ];
  console.log(`\n| ${columns.join(' | ')} |\n|${'---|'.repeat(columns.length)}`);
  for (const { name, round } of results) {
    const cells = [
      name,
      round.rps.toFixed(1),
      round.p50.toFixed(0),
      round.p99.toFixed(0),
      ((100 * round.cpuMs) / round.windowMs).toFixed(0),
      (round.cpuMs / round.requests).toFixed(2),
      (round.subgraphRequests / round.requests).toFixed(2),
      plain ? `${(round.rps / plain).toFixed(2)}x` : '-',
      ((100 * round.loadSideCpuMs) / round.windowMs).toFixed(0),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

type Subgraphs = Awaited<ReturnType<typeof startSubgraphs>>;
type Loader = ReturnType<typeof loadRunner>;

/** Starts one gateway, checks its answer, puts it under load for the rounds and stops it. */
async function benchGateway(
  row: GatewayRow,
  run: { supergraphPath: string; jwksUrl: string; subgraphs: Subgraphs; loader: Loader },
) {
  const { subgraphs, loader } = run;
  const gateway = await startGateway(row, run.supergraphPath, run.jwksUrl);
  const pid = gateway.child.pid!;
  /** The measured windows on the profile's clock: its start and warm-ups are not the load. */
  const spans: Span[] = [];
  try {
    if (settings.writeExpected && row === PLAIN) {
      writeFileSync(EXPECTED_FILE, JSON.stringify(JSON.parse(gateway.first.text), null, 2) + '\n');
      console.log(`wrote ${EXPECTED_FILE} (${gateway.first.text.length} bytes)`);
    }
    check(row.name, 'before its load', gateway.first);
    // One request on an idle gateway: what the plan costs without any sharing under load.
    const idleBefore = await subgraphs.counts();
    check(row.name, 'alone', await ask(gateway.url));
    const soloFetches = (await subgraphs.counts()) - idleBefore;
    console.log(`  ${row.name}: ${soloFetches} subgraph requests for one request alone`);
    const load = {
      url: gateway.url,
      body: BODY,
      // Its own answer, byte for byte, now that it equals the reference.
      expectBody: gateway.first.text,
      connections: settings.connections,
      warmupS: WARMUP_S,
      durationS: settings.durationS,
    };
    const sample = async (): Promise<Spent> => {
      const now = monotonicUs();
      const open = spans.at(-1);
      if (open && open[1] === Infinity) open[1] = now;
      else spans.push([now, Infinity]);
      return {
        cpuMs: cpuMs(pid),
        subgraphRequests: await subgraphs.counts(),
        loadSideCpuMs: cpuMs(subgraphs.child.pid!) + cpuMs(loader.child.pid!),
      };
    };
    const rounds: Round[] = [];
    for (let index = 0; index < settings.rounds; index += 1) {
      const round = await loader.run(load, sample);
      rounds.push(round);
      console.log(`  ${row.name} round ${index + 1}: ${round.rps.toFixed(1)} req/s`);
    }
    check(row.name, 'after its load', await ask(gateway.url));
    return { round: median(rounds), pid, spans };
  } finally {
    await stopChild(gateway.child);
  }
}

/** A row's name with what it changes, so that a printed run says what it measured. */
const describe = ({ name, env = {}, nodeArgs = [] }: GatewayRow) => {
  const changes = [...Object.entries(env).map(([key, value]) => `${key}=${value}`), ...nodeArgs];
  return changes.length > 0 ? `${name} [${changes.join(' ')}]` : name;
};

export async function gateways() {
  const started = Date.now();
  settings = readSettings();
  const rows = [
    PLAIN,
    ...ROUTER_VARIANTS.map((row) => ({ ...row, env: { ...row.env, ...settings.routerEnv } })),
  ].filter((row) => !settings.only || settings.only.includes(row.name));
  if (rows.length === 0)
    throw new Error(
      `GATEWAYS_BENCH_ONLY names no gateway; known: ${[PLAIN, ...ROUTER_VARIANTS].map((row) => row.name).join(', ')}`,
    );
  if (settings.profileDir) mkdirSync(settings.profileDir, { recursive: true });
  console.log(
    `gateways: ${rows.map(describe).join(', ')}; ${settings.rounds} rounds of ` +
      `${settings.durationS} s after ${WARMUP_S} s of warm-up, ${settings.connections} connections` +
      (PINNED ? '; gateway on core 0, subgraphs and load on core 1' : '; UNPINNED (no taskset)'),
  );
  const subgraphs = await startSubgraphs();
  const loader = loadRunner();
  const workDir = mkdtempSync(join(tmpdir(), 'gateways-bench-'));
  const results: { name: string; round: Round }[] = [];
  try {
    const supergraphPath = join(workDir, 'supergraph.graphql');
    writeFileSync(supergraphPath, compose(subgraphs.urls));
    const jwksUrl = `${new URL(subgraphs.urls['accounts']!).origin}/.well-known/jwks.json`;
    for (const row of rows) {
      const measured = await benchGateway(row, { supergraphPath, jwksUrl, subgraphs, loader });
      results.push({ name: row.name, round: measured.round });
      if (settings.profileDir) printProfile(row.name, measured.pid, measured.spans);
    }
  } finally {
    await stopChild(loader.child);
    await stopChild(subgraphs.child);
    rmSync(workDir, { recursive: true, force: true });
  }
  printTable(results);
  console.log(
    `\n(median round by req/s; the run took ${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
}
