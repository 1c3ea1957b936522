// `npm start` with a subgraph killed: the rest keeps running, the router serves partial data,
// the supervisor brings the subgraph back, and SIGINT still stops every process. Runs the real
// start script as a child process, on its own ports (START_PORT_BASE) and data directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as pause } from 'node:timers/promises';
import { graphql } from '@supergraph/kit/testing';
import { temporaryDataDir } from '../harness.js';

const ROOT = resolve(__dirname, '../..');
const SERVICE_COUNT = 6;
/** Below Linux's ephemeral range, so that port-0 servers of other tests do not take them. */
const PORT_RANGE = { from: 20_000, size: 10_000 };
const POLL_MS = 250;
// Hang guards, not speed expectations: six processes compiling TypeScript and opening
// embedded databases take from 10 s on an idle machine to minutes on a loaded CI machine.
const START_TIMEOUT_MS = 300_000;
const RESTART_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 60_000;

const ME = '{ me { id email documents { id } } }';

const portFree = (port: number) =>
  new Promise<boolean>((done) => {
    const server = createServer()
      .once('error', () => done(false))
      .listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });

/** A base port with the six ports from it free (start.ts uses base … base+5). */
async function freePortBase() {
  for (let tries = 0; tries < 100; tries += 1) {
    const base = PORT_RANGE.from + Math.floor(Math.random() * PORT_RANGE.size);
    const ports = Array.from({ length: SERVICE_COUNT }, (_, offset) => base + offset);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error('found no six free ports in a row');
}

/** Probes until `accept` holds; fails with what was last seen once the time is up, or at
 *  once when `gaveUp` says why waiting longer is pointless. */
async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  { timeoutMs, gaveUp = () => undefined }: { timeoutMs: number; gaveUp?: () => string | undefined },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const reason = gaveUp();
    if (reason) throw new Error(`${reason} while waiting for ${what}`);
    try {
      const value = await probe();
      if (accept(value)) return value;
      last = value;
    } catch (error) {
      last = String(error); // (errors of fetch come from another realm than jest's Error)
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    }
    await pause(POLL_MS);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
};

describe('npm start keeps the rest running when a service dies', () => {
  const dataDir = temporaryDataDir('start-supervisor');
  const lines: string[] = [];
  let start: ChildProcess | undefined;
  let exited: Promise<number | null>;

  /** Every pid the start script reported for a service, restarts included. */
  const childPids = () =>
    lines.flatMap((line) => {
      const match = /^(\w+) started \(pid (\d+)\)$/.exec(line);
      return match ? [{ name: match[1]!, pid: Number(match[2]) }] : [];
    });

  afterAll(async () => {
    // Only when the test failed before its own SIGINT: leave no process behind.
    if (start && start.exitCode === null && start.signalCode === null) {
      start.kill('SIGTERM');
      await Promise.race([exited, pause(STOP_TIMEOUT_MS, null, { ref: false })]);
    }
    for (const { pid } of childPids()) if (alive(pid)) process.kill(pid, 'SIGKILL');
    dataDir.remove();
  });

  it('serves partial data while ui is down, restarts ui, and SIGINT stops every process', async () => {
    const base = await freePortBase();
    const url = `http://127.0.0.1:${base}/graphql`;
    // The environment of a person typing `npm start`: no test or service settings of ours.
    const env = { ...process.env };
    for (const key of Object.keys(env)) {
      if (/DATABASE_URL$|^REDIS_URL$|^NODE_OPTIONS$|^JEST_/.test(key)) delete env[key];
    }
    start = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'scripts/start.ts'],
      {
        cwd: ROOT,
        env: {
          ...env,
          NODE_ENV: 'development',
          START_PORT_BASE: String(base),
          DATA_DIR: dataDir.path,
          LOG_LEVEL: 'warn',
          // The breaker's half-open trial comes sooner, so the test sees the recovery sooner.
          BREAKER_RESET_TIMEOUT_MS: '1000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    exited = new Promise((done) => start!.once('exit', (code) => done(code)));
    for (const input of [start.stdout!, start.stderr!]) {
      createInterface({ input }).on('line', (line) => lines.push(line));
    }
    const log = () => lines.join('\n');

    /** The start script must stay up throughout; when it has exited, its output says why. */
    const gaveUp = () =>
      start!.exitCode === null && start!.signalCode === null
        ? undefined
        : `start.ts exited (${start!.exitCode ?? start!.signalCode}):\n${log()}\n`;

    await eventually(
      async () => {
        const response = await fetch(url.replace('/graphql', '/readyz'));
        await response.body?.cancel();
        return response.ok;
      },
      Boolean,
      'the router to answer /readyz',
      { timeoutMs: START_TIMEOUT_MS, gaveUp },
    );

    const login = await graphql(url, {
      query:
        'mutation { login(input: { email: "demo@example.com", password: "demo-password" }) { token } }',
    });
    expect(login.errors).toBeUndefined();
    const token = login.data!.login.token as string;
    const me = () => graphql(url, { query: ME, token });
    const full = await me();
    expect(full.errors).toBeUndefined();
    expect(full.data!.me).toMatchObject({ email: 'demo@example.com', documents: [] });

    const ui = childPids().find(({ name }) => name === 'ui');
    expect(ui).toBeDefined();
    process.kill(ui!.pid, 'SIGKILL');

    const isPartial = (result: Awaited<ReturnType<typeof me>>) =>
      result.data?.['me']?.id === full.data!.me.id &&
      result.data?.['me']?.documents === null &&
      (result.errors ?? []).some(
        ({ extensions }) =>
          ['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_CIRCUIT_OPEN'].includes(
            extensions?.['code'] as string,
          ) && extensions?.['serviceName'] === 'ui',
      );
    await eventually(me, isPartial, 'partial data with ui down', {
      timeoutMs: RESTART_TIMEOUT_MS,
      gaveUp,
    });

    const restored = await eventually(
      me,
      (result) => result.errors === undefined && Array.isArray(result.data?.['me']?.documents),
      'the full answer after ui came back',
      { timeoutMs: RESTART_TIMEOUT_MS, gaveUp },
    );
    expect(restored.data).toEqual(full.data);
    expect(log()).toMatch(/^ui exited \(SIGKILL\); restarting in 0\.5 s \(attempt 1\)$/m);
    // The router may see ui answer before the supervisor's next /readyz poll does.
    await eventually(
      async () => log(),
      (text) => /^ui is back \(pid \d+\)$/m.test(text),
      '"ui is back"',
      {
        timeoutMs: RESTART_TIMEOUT_MS,
        gaveUp,
      },
    );
    const uiPids = childPids().filter(({ name }) => name === 'ui');
    expect(uiPids.length).toBeGreaterThanOrEqual(2);
    expect(alive(uiPids[uiPids.length - 1]!.pid)).toBe(true);

    start.kill('SIGINT');
    // An unref'd guard, so that it does not keep jest waiting once the script has exited.
    const code = await Promise.race([
      exited,
      pause(STOP_TIMEOUT_MS, 'still running', { ref: false }),
    ]);
    expect(code).toBe(0);
    const pids = childPids();
    expect(new Set(pids.map(({ name }) => name))).toEqual(
      new Set(['security', 'memory', 'provider', 'ui', 'tools', 'router']),
    );
    expect(pids.filter(({ pid }) => alive(pid))).toEqual([]);
  }, 900_000);
});
