// The restart decisions of `npm start`'s supervisor, on fake processes and a fake clock: which
// exits restart a service, after which delay, when the backoff starts over, and what stop ends.
import { EventEmitter } from 'node:events';
import {
  createSupervisor,
  DEFAULT_RESTART_POLICY,
  restartDelay,
  type ServiceProcess,
  type ServiceSpec,
} from '../../scripts/supervisor.js';

class FakeProcess extends EventEmitter {
  signals: string[] = [];
  constructor(readonly pid: number) {
    super();
  }
  kill(signal = 'SIGTERM') {
    this.signals.push(signal);
    return true;
  }
  exit(code: number | null, signal: string | null = null) {
    this.emit('exit', code, signal);
  }
}

const GRACE_MS = 10_000;

/** A supervisor whose processes, clock and sleeps the test drives. */
function harness() {
  const spawned: FakeProcess[] = [];
  const sleeps: { ms: number; wake: () => void }[] = [];
  const lines: string[] = [];
  let clock = 0;
  const supervisor = createSupervisor({
    spawn: () => {
      const child = new FakeProcess(100 + spawned.length);
      spawned.push(child);
      return child as unknown as ServiceProcess;
    },
    log: (line) => lines.push(line),
    stopGraceMs: GRACE_MS,
    now: () => clock,
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        sleeps.push({ ms, wake: () => resolve(undefined) });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  });
  return {
    supervisor,
    spawned,
    sleeps,
    lines,
    advance: (ms: number) => (clock += ms),
    /** Lets the supervisor's promise chains run. */
    settle: () => new Promise((resolve) => setImmediate(resolve)),
  };
}

const spec = (name: string, ready?: ServiceSpec['ready']): ServiceSpec => ({
  name,
  command: 'node',
  args: [],
  ready,
});

describe('restartDelay', () => {
  it('doubles from 0.5 s up to a cap of 30 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((attempt) => restartDelay(attempt));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(DEFAULT_RESTART_POLICY.maxDelayMs).toBe(30_000);
  });
});

describe('createSupervisor', () => {
  it('resolves start once the service is ready, with its pid', async () => {
    const { supervisor, spawned } = harness();
    let ready!: () => void;
    let started = false;
    const pid = supervisor
      .start(spec('ui', () => new Promise<void>((resolve) => (ready = resolve))))
      .then((value) => ((started = true), value));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(false);
    ready();
    expect(await pid).toBe(spawned[0]!.pid);
  });

  it('fails start when the service exits before it is ready, and does not restart it', async () => {
    const { supervisor, spawned, sleeps, settle } = harness();
    const started = supervisor.start(spec('ui', () => new Promise<void>(() => {})));
    spawned[0]!.exit(1);
    await expect(started).rejects.toThrow('ui exited (1) before it was ready');
    await settle();
    expect(spawned).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('fails start with what the readiness probe threw', async () => {
    const { supervisor } = harness();
    const started = supervisor.start(
      spec('ui', () => Promise.reject(new Error('ui did not answer /readyz'))),
    );
    await expect(started).rejects.toThrow('ui did not answer /readyz');
  });

  it('restarts a service that exits after start-up, with growing delays, and says so', async () => {
    const { supervisor, spawned, sleeps, lines, settle, advance } = harness();
    await supervisor.start(spec('ui'));
    for (const [index, expected] of [500, 1_000, 2_000].entries()) {
      advance(1_000);
      spawned[index]!.exit(null, 'SIGKILL');
      await settle();
      expect(sleeps.map(({ ms }) => ms)).toHaveLength(index + 1);
      expect(sleeps[index]!.ms).toBe(expected);
      expect(spawned).toHaveLength(index + 1); // nothing before the delay is over
      sleeps[index]!.wake();
      await settle();
      expect(spawned).toHaveLength(index + 2);
    }
    expect(lines).toEqual([
      'ui started (pid 100)',
      'ui exited (SIGKILL); restarting in 0.5 s (attempt 1)',
      'ui started (pid 101)',
      'ui is back (pid 101)',
      'ui exited (SIGKILL); restarting in 1.0 s (attempt 2)',
      'ui started (pid 102)',
      'ui is back (pid 102)',
      'ui exited (SIGKILL); restarting in 2.0 s (attempt 3)',
      'ui started (pid 103)',
      'ui is back (pid 103)',
    ]);
  });

  it('starts the backoff over once a run has stayed up long enough', async () => {
    const { supervisor, spawned, sleeps, settle, advance } = harness();
    await supervisor.start(spec('ui'));
    spawned[0]!.exit(1);
    await settle();
    sleeps[0]!.wake();
    await settle();
    spawned[1]!.exit(1);
    await settle();
    expect(sleeps[1]!.ms).toBe(1_000);
    sleeps[1]!.wake();
    await settle();
    advance(DEFAULT_RESTART_POLICY.resetAfterMs);
    spawned[2]!.exit(1);
    await settle();
    expect(sleeps[2]!.ms).toBe(500);
  });

  it('logs "is back" only once the restarted service is ready', async () => {
    const { supervisor, spawned, sleeps, lines, settle } = harness();
    let ready = () => {};
    await supervisor.start(
      spec('ui', () =>
        spawned.length === 1 ? Promise.resolve() : new Promise((r) => (ready = r)),
      ),
    );
    spawned[0]!.exit(null, 'SIGKILL');
    await settle();
    sleeps[0]!.wake();
    await settle();
    expect(lines.at(-1)).toBe('ui started (pid 101)');
    ready();
    await settle();
    expect(lines.at(-1)).toBe('ui is back (pid 101)');
  });

  it('stop cancels a pending restart and ends every running service', async () => {
    const { supervisor, spawned, sleeps, settle } = harness();
    await supervisor.start(spec('security'));
    await supervisor.start(spec('ui'));
    spawned[1]!.exit(null, 'SIGKILL'); // ui waits for its restart
    await settle();
    expect(sleeps).toHaveLength(1);

    let stopped = false;
    const stopping = supervisor.stop().then(() => (stopped = true));
    expect(supervisor.stopping).toBe(true);
    await settle();
    expect(spawned[0]!.signals).toEqual(['SIGTERM']);
    expect(stopped).toBe(false);
    spawned[0]!.exit(0);
    await stopping;
    sleeps[0]!.wake(); // too late: the restart was cancelled
    await settle();
    expect(spawned).toHaveLength(2);
    await expect(supervisor.start(spec('tools'))).rejects.toThrow('stopping');
  });

  it('kills a service that ignores SIGTERM once the grace is over', async () => {
    const { supervisor, spawned, sleeps, settle } = harness();
    await supervisor.start(spec('ui'));
    const stopping = supervisor.stop();
    await settle();
    const grace = sleeps.find(({ ms }) => ms === GRACE_MS);
    expect(grace).toBeDefined();
    grace!.wake();
    await settle();
    expect(spawned[0]!.signals).toEqual(['SIGTERM', 'SIGKILL']);
    spawned[0]!.exit(null, 'SIGKILL');
    await stopping;
  });

  it('fails a start that is under way when stop ends it, without restarting it', async () => {
    const { supervisor, spawned, sleeps, settle } = harness();
    const started = supervisor.start(spec('ui', () => new Promise<void>(() => {})));
    const stopping = supervisor.stop();
    spawned[0]!.exit(null, 'SIGTERM');
    await expect(started).rejects.toThrow('before it was ready');
    await stopping;
    await settle();
    expect(spawned).toHaveLength(1);
    expect(sleeps.filter(({ ms }) => ms !== GRACE_MS)).toEqual([]);
  });
});
