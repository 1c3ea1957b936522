// The JavaScript sandbox of admin-registered tools: each call runs in a fresh QuickJS
// interpreter (WASM) on a worker thread of a piscina pool, so a tool sees nothing of the host
// and a runaway tool never holds the subgraph's event loop. The interpreter is in worker.cjs.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';

export interface SandboxLimits {
  timeoutMs: number;
  /** The tool's whole interpreter heap; at least MIN_SANDBOX_MEMORY_BYTES. */
  memoryBytes: number;
  /** UTF-8 bytes of the output's JSON beyond which it is truncated. */
  outputBytes: number;
  maxLogLines?: number;
}

export type SandboxLogLevel = 'debug' | 'info' | 'log' | 'warn' | 'error';

export interface SandboxLog {
  level: SandboxLogLevel;
  message: string;
  at: Date;
}

export interface SandboxProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface SandboxResult {
  /** The tool's return value (JSON); when truncated, the first outputBytes of its JSON text. */
  output: unknown;
  truncated: boolean;
  logs: SandboxLog[];
  logsTruncated: boolean;
  cpuMs: number;
  /** Peak size of the interpreter's memory. */
  memoryBytes: number;
  wallMs: number;
}

export type SandboxFailure = 'timeout' | 'memory' | 'error' | 'cancelled';

export interface SandboxRunOptions {
  signal?: AbortSignal;
  /** Called as each log line arrives; what it throws is ignored. */
  onLog?(log: SandboxLog): void;
  /** Called as the tool reports progress; what it throws is ignored. */
  onProgress?(progress: SandboxProgress): void;
}

export interface JavaScriptSandbox {
  run(
    code: string,
    args: unknown,
    limits: SandboxLimits,
    options?: SandboxRunOptions,
  ): Promise<SandboxResult>;
  /** Stops every worker; calls still running or queued reject with 'cancelled'. */
  close(): Promise<void>;
}

export class SandboxError extends Error {
  override name = 'SandboxError';
  constructor(
    readonly reason: SandboxFailure,
    message: string,
    readonly logs: SandboxLog[] = [],
    readonly cpuMs = 0,
    readonly wallMs = 0,
  ) {
    super(message);
  }
}

export const DEFAULT_SANDBOX_WORKERS = 2;
export const DEFAULT_MAX_LOG_LINES = 100;
/** The interpreter starts with 16 MiB of its own; a limit must leave room above that. */
export const MIN_SANDBOX_MEMORY_BYTES = 24 * 1024 * 1024;
/** The default limits of a call, for the config to start from. */
export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  timeoutMs: 5_000,
  memoryBytes: 64 * 1024 * 1024,
  outputBytes: 1024 * 1024,
  maxLogLines: DEFAULT_MAX_LOG_LINES,
};
/**
 * How long past its limit a call may run before its worker is terminated. The interpreter
 * interrupts itself at the limit; this only catches a worker stuck outside it.
 */
const TERMINATE_GRACE_MS = 1_000;
/** The worker's own V8 heap (the interpreter's memory is apart from it): host copies only. */
const WORKER_HEAP_MB = 256;
const WORKER_FILE = join(__dirname, 'worker.cjs');

interface WorkerLog {
  level: SandboxLogLevel;
  message: string;
  at: number;
}

type Done = { logs: WorkerLog[]; logsTruncated: boolean; cpuMs: number; wallMs: number } & (
  | { ok: true; json: string; truncated: boolean; memoryBytes: number }
  | { ok: false; reason: SandboxFailure; message: string }
);

type WorkerMessage =
  | { type: 'started' }
  | { type: 'log'; log: WorkerLog }
  | { type: 'progress'; progress: SandboxProgress }
  | ({ type: 'done' } & Done);

const toLog = ({ level, message, at }: WorkerLog): SandboxLog => ({
  level,
  message,
  at: new Date(at),
});

function checkLimits(limits: SandboxLimits): Required<SandboxLimits> {
  const { timeoutMs, memoryBytes, outputBytes, maxLogLines = DEFAULT_MAX_LOG_LINES } = limits;
  for (const [name, value] of Object.entries({ timeoutMs, memoryBytes, outputBytes })) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`sandbox limit ${name} must be a positive number`);
    }
  }
  if (memoryBytes < MIN_SANDBOX_MEMORY_BYTES) {
    throw new RangeError(`sandbox limit memoryBytes must be at least ${MIN_SANDBOX_MEMORY_BYTES}`);
  }
  if (!Number.isInteger(maxLogLines) || maxLogLines < 0) {
    throw new RangeError('sandbox limit maxLogLines must be a non-negative integer');
  }
  return { timeoutMs, memoryBytes, outputBytes, maxLogLines };
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as FunctionConstructor;

/**
 * The syntax error of a tool's code, or undefined when it parses, for registration-time
 * validation. The AsyncFunction constructor only compiles the body (it is never called), and
 * it parses the body on its own, as the sandbox does, so code cannot close the function early.
 */
export function checkJavaScript(code: string): string | undefined {
  try {
    new AsyncFunction('args', 'progress', code);
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return error.message;
    throw error;
  }
}

/** How long an idle sandbox thread is kept for the next tool. */
const IDLE_THREAD_MS = 60_000;

export function createJavaScriptSandbox({
  workers = DEFAULT_SANDBOX_WORKERS,
}: { workers?: number } = {}): JavaScriptSandbox {
  const pool = new Piscina({
    filename: WORKER_FILE,
    // Threads start with the first JavaScript tool and stay while tools keep coming, so that a
    // replica that runs none (or a test supergraph) holds no idle interpreters.
    minThreads: 0,
    maxThreads: workers,
    idleTimeout: IDLE_THREAD_MS,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  let closed = false;

  async function run(
    code: string,
    args: unknown,
    limits: SandboxLimits,
    { signal, onLog, onProgress }: SandboxRunOptions = {},
  ): Promise<SandboxResult> {
    const checked = checkLimits(limits);
    const submitted = performance.now();
    const logs: SandboxLog[] = [];
    const fail = (reason: SandboxFailure, message: string, cpuMs = 0) =>
      new SandboxError(reason, message, logs, cpuMs, performance.now() - submitted);
    if (closed) throw fail('cancelled', 'the sandbox is closed');
    if (signal?.aborted) throw fail('cancelled', 'the call was cancelled');
    let argsJson: string;
    try {
      argsJson = JSON.stringify(args) ?? 'null';
    } catch (error) {
      throw fail('error', `args are not JSON: ${(error as Error).message}`);
    }

    const { port1, port2 } = new MessageChannel();
    const abort = new AbortController();
    let terminateTimer: NodeJS.Timeout | undefined;
    const onAbort = () => abort.abort('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });

    const done = new Promise<Done>((resolve) => {
      port1.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'started':
            terminateTimer = setTimeout(
              () => abort.abort('timeout'),
              checked.timeoutMs + TERMINATE_GRACE_MS,
            );
            break;
          case 'log': {
            const log = toLog(message.log);
            logs.push(log);
            ignoreThrow(() => onLog?.(log));
            break;
          }
          case 'progress':
            ignoreThrow(() => onProgress?.(message.progress));
            break;
          case 'done':
            resolve(message);
        }
      });
    });
    const task = pool.run(
      { code, argsJson, limits: checked, port: port2 },
      { transferList: [port2], signal: abort.signal },
    );
    try {
      // The worker posts its outcome on the port and then returns; a worker terminated or
      // crashed never posts it, and then the pool's rejection says why.
      const outcome = await Promise.race([done, task.then(() => done)]);
      if (!outcome.ok) {
        throw new SandboxError(
          outcome.reason,
          outcome.message,
          outcome.logs.map(toLog),
          outcome.cpuMs,
          outcome.wallMs,
        );
      }
      return {
        output: outcome.truncated ? outcome.json : JSON.parse(outcome.json),
        truncated: outcome.truncated,
        logs: outcome.logs.map(toLog),
        logsTruncated: outcome.logsTruncated,
        cpuMs: outcome.cpuMs,
        memoryBytes: outcome.memoryBytes,
        wallMs: outcome.wallMs,
      };
    } catch (error) {
      if (error instanceof SandboxError) throw error;
      const reason = abort.signal.reason;
      if (reason === 'timeout') throw fail('timeout', `tool ran past ${checked.timeoutMs} ms`);
      if (reason === 'cancelled' || closed) throw fail('cancelled', 'the call was cancelled');
      if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw fail('memory', 'the sandbox worker ran out of memory');
      }
      throw fail('error', `the sandbox worker failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(terminateTimer);
      signal?.removeEventListener('abort', onAbort);
      port1.close();
      // The pool's promise rejects after an abort even when the outcome came first.
      task.catch(() => {});
    }
  }

  return {
    run,
    async close() {
      closed = true;
      await pool.destroy();
    },
  };
}

function ignoreThrow(callback: () => void): void {
  try {
    callback();
  } catch {
    // A listener's failure is the listener's: it must not fail the call.
  }
}
