// Keeps the processes of `npm start` running: each service is started once by the caller
// (who decides the order); one that exits after it first became ready is started again after
// an exponential backoff, so that one crash is an outage of that service only. stop() ends
// them all, a service waiting for its restart included.
import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleepFor } from 'node:timers/promises';

/** Delays between restarts: initialDelayMs, doubling (factor) up to maxDelayMs. */
export interface RestartPolicy {
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** A run that lasted this long was healthy: its crash starts the backoff from the beginning. */
  resetAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  factor: 2,
  maxDelayMs: 30_000,
  resetAfterMs: 60_000,
};

/** How long a child may take to stop after SIGTERM before it gets SIGKILL. */
export const STOP_GRACE_MS = 10_000;

/** Width of the service name in front of each line of a child's output. */
const OUTPUT_PREFIX_WIDTH = 8;

export interface ServiceSpec {
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Resolves once the service serves (e.g. answers /readyz); rejects when it gives up or
   *  when the signal aborts. Without it a service counts as ready once spawned. */
  ready?: (signal: AbortSignal) => Promise<void>;
}

/** What the supervisor needs of a child process (a ChildProcess, or a fake in unit tests). */
export type ServiceProcess = Pick<ChildProcess, 'pid' | 'kill' | 'once' | 'on'>;
export type SpawnService = (spec: ServiceSpec) => ServiceProcess;
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<unknown>;

export interface SupervisorOptions {
  spawn?: SpawnService;
  log?: (line: string) => void;
  policy?: RestartPolicy;
  stopGraceMs?: number;
  /** Injectable clock for unit tests; sleep rejects when its signal aborts. */
  now?: () => number;
  sleep?: Sleep;
}

export interface Supervisor {
  /** Starts a service; resolves with its pid once it is ready, rejects when it exits first
   *  (or its readiness probe gives up). From then on an exit restarts it with backoff. */
  start(spec: ServiceSpec): Promise<number | undefined>;
  /** Stops every service (SIGTERM, then SIGKILL after the grace) and cancels pending restarts. */
  stop(): Promise<void>;
  readonly stopping: boolean;
}

/** The delay before restart number `attempt` (1-based) of a run of crashes. */
export function restartDelay(attempt: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY) {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attempt - 1));
}

/** Spawns a service with its output piped line by line to ours, each line named by service. */
export const spawnWithPrefixedOutput: SpawnService = ({ name, command, args, cwd, env }) => {
  const child = spawnProcess(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `${name.padEnd(OUTPUT_PREFIX_WIDTH)}|`;
  for (const input of [child.stdout, child.stderr]) {
    createInterface({ input, crlfDelay: Infinity }).on('line', (line) => {
      if (line) console.log(prefix, line);
    });
  }
  return child;
};

interface Run {
  name: string;
  child: ServiceProcess;
  startedAt: number;
  /** Resolves with the exit's reason (signal name or exit code) once the child is gone. */
  exited: Promise<string>;
  done: boolean;
}

export function createSupervisor({
  spawn = spawnWithPrefixedOutput,
  log = (line: string) => console.log(line),
  policy = DEFAULT_RESTART_POLICY,
  stopGraceMs = STOP_GRACE_MS,
  now = Date.now,
  sleep = (ms, signal) => sleepFor(ms, undefined, { signal }),
}: SupervisorOptions = {}): Supervisor {
  const runs = new Map<string, Run>();
  const stopController = new AbortController();
  let stopped: Promise<void> | undefined;

  function launch(spec: ServiceSpec): Run {
    const child = spawn(spec);
    let settle!: (reason: string) => void;
    const run: Run = {
      name: spec.name,
      child,
      startedAt: now(),
      done: false,
      exited: new Promise((resolve) => (settle = resolve)),
    };
    const finish = (reason: string) => {
      if (run.done) return;
      run.done = true;
      settle(reason);
    };
    child.once('exit', (code, signal) => finish(String(signal ?? code)));
    // A child that could not be spawned reports an error and may never report an exit; a
    // listener must stay for later errors (a failed kill) too, or they would throw.
    child.on('error', (error) => {
      if (child.pid === undefined) finish(error.message);
      else log(`${spec.name} (pid ${child.pid}): ${error.message}`);
    });
    runs.set(spec.name, run);
    if (child.pid !== undefined) log(`${spec.name} started (pid ${child.pid})`);
    return run;
  }

  /** Whether the run became ready before it exited; throws what the readiness probe threw. */
  async function becameReady(spec: ServiceSpec, run: Run): Promise<boolean> {
    const probe = new AbortController();
    const signal = AbortSignal.any([probe.signal, stopController.signal]);
    try {
      const ready = spec.ready ? spec.ready(signal) : Promise.resolve();
      return await Promise.race([ready.then(() => true), run.exited.then(() => false)]);
    } finally {
      probe.abort();
    }
  }

  async function keepAlive(spec: ServiceSpec, first: Run) {
    let run = first;
    let attempt = 0;
    for (;;) {
      const reason = await run.exited;
      if (stopController.signal.aborted) return;
      attempt = now() - run.startedAt >= policy.resetAfterMs ? 1 : attempt + 1;
      const delayMs = restartDelay(attempt, policy);
      log(
        `${spec.name} exited (${reason}); restarting in ${(delayMs / 1_000).toFixed(1)} s (attempt ${attempt})`,
      );
      try {
        await sleep(delayMs, stopController.signal);
      } catch {
        return; // stop() cancelled the restart
      }
      if (stopController.signal.aborted) return;
      const next = launch(spec);
      run = next;
      becameReady(spec, next).then(
        (ready) => {
          if (ready) log(`${spec.name} is back (pid ${next.child.pid})`);
        },
        (error: Error) => {
          if (!stopController.signal.aborted) log(`${spec.name} is not ready: ${error.message}`);
        },
      );
    }
  }

  async function terminate(run: Run) {
    if (run.done) return;
    run.child.kill('SIGTERM');
    const grace = new AbortController();
    const overdue = await Promise.race([
      run.exited.then(() => false),
      sleep(stopGraceMs, grace.signal).then(
        () => true,
        () => false,
      ),
    ]);
    grace.abort();
    if (overdue) {
      log(`${run.name} ignored SIGTERM for ${stopGraceMs} ms; killing it`);
      run.child.kill('SIGKILL');
      await run.exited;
    }
  }

  return {
    async start(spec) {
      if (stopController.signal.aborted) throw new Error(`not starting ${spec.name}: stopping`);
      const run = launch(spec);
      if (!(await becameReady(spec, run))) {
        throw new Error(`${spec.name} exited (${await run.exited}) before it was ready`);
      }
      void keepAlive(spec, run);
      return run.child.pid;
    },
    stop() {
      stopController.abort();
      stopped ??= Promise.all([...runs.values()].map(terminate)).then(() => undefined);
      return stopped;
    },
    get stopping() {
      return stopController.signal.aborted;
    },
  };
}
