// The JavaScript sandbox: tool code sees nothing of the host, every limit ends a call with
// its reason, and the main event loop keeps turning while a tool spins or eats memory.
import {
  checkJavaScript,
  createJavaScriptSandbox,
  SandboxError,
  type JavaScriptSandbox,
  type SandboxLimits,
  type SandboxLog,
  type SandboxProgress,
} from '../src/sandbox/index.js';

const MiB = 1024 * 1024;
const LIMITS: SandboxLimits = { timeoutMs: 10_000, memoryBytes: 64 * MiB, outputBytes: 64 * 1024 };
/** Longer than jest's own guard: a call that ends before it was stopped by something else. */
const NEVER_MS = 600_000;
const HOST_NAMES = [
  'require',
  'process',
  'Buffer',
  'module',
  'global',
  'fetch',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'WebAssembly',
  'XMLHttpRequest',
];

let sandbox: JavaScriptSandbox;
beforeAll(() => {
  sandbox = createJavaScriptSandbox({ workers: 2 });
});
afterAll(() => sandbox.close());

const run = (code: string, args: unknown = {}, limits: Partial<SandboxLimits> = {}) =>
  sandbox.run(code, args, { ...LIMITS, ...limits });

async function failure(call: Promise<unknown>): Promise<SandboxError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SandboxError)) throw new Error(`expected a SandboxError, got ${error}`);
  return error;
}

/**
 * Starts `code` (which logs 'started' first) and counts the main loop's setImmediate turns
 * from that log until the call settles. A tool run on the main thread would settle before
 * the first turn.
 */
async function turnsWhileRunning(code: string, limits: Partial<SandboxLimits>) {
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  let settled = false;
  const call = sandbox
    .run(code, {}, { ...LIMITS, ...limits }, { onLog: () => started() })
    .finally(() => (settled = true));
  call.catch(() => {});
  await running;
  let turns = 0;
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    turns += 1;
  }
  return { turns, error: await failure(call) };
}

describe('the result', () => {
  it('is the awaited return value, with args deep-copied in', async () => {
    const args = { a: 2, list: [1, 2] };
    const result = await run('await null; args.list.push(3); return args.a * 21', args);
    expect(result.output).toBe(42);
    expect(result.truncated).toBe(false);
    expect(args.list).toEqual([1, 2]);
    expect(result.memoryBytes).toBeGreaterThan(0);
  });

  it('truncates an output larger than outputBytes and flags it', async () => {
    const result = await run('return "é".repeat(100000)', {}, { outputBytes: 101 });
    expect(result.truncated).toBe(true);
    expect(typeof result.output).toBe('string');
    // 1 byte of quote, then 50 two-byte characters: a cut never splits a character.
    expect(result.output).toBe(`"${'é'.repeat(50)}`);
  });

  it('captures console output as bounded logs', async () => {
    const live: SandboxLog[] = [];
    const result = await sandbox.run(
      'console.log("hello", { n: 1 }); console.warn("careful"); for (let i = 0; i < 10; i++) console.debug(i); return null',
      {},
      { ...LIMITS, maxLogLines: 5 },
      { onLog: (log) => live.push(log) },
    );
    expect(result.logs.slice(0, 2).map(({ level, message }) => ({ level, message }))).toEqual([
      { level: 'log', message: 'hello {"n":1}' },
      { level: 'warn', message: 'careful' },
    ]);
    expect(result.logs).toHaveLength(5);
    expect(result.logsTruncated).toBe(true);
    expect(result.logs[0]!.at).toBeInstanceOf(Date);
    expect(live.map((log) => log.message)).toEqual(result.logs.map((log) => log.message));
  });

  it('reports progress', async () => {
    const reports: SandboxProgress[] = [];
    await sandbox.run('progress(1, 4, "first"); progress(4, 4); return 0', {}, LIMITS, {
      onProgress: (report) => reports.push(report),
    });
    expect(reports).toEqual([
      { progress: 1, total: 4, message: 'first' },
      { progress: 4, total: 4 },
    ]);
  });
});

describe('failures', () => {
  it('a thrown error is reason error with its message', async () => {
    const error = await failure(run('console.log("before"); throw new Error("boom")'));
    expect(error.reason).toBe('error');
    expect(error.message).toContain('boom');
    expect(error.logs.map((log) => log.message)).toEqual(['before']);
  });

  it('an output that is not JSON is reason error', async () => {
    expect((await failure(run('return 1n'))).reason).toBe('error');
  });

  it('an infinite loop is reason timeout, and the main loop turns meanwhile', async () => {
    const { turns, error } = await turnsWhileRunning('console.log("started"); while (true) {}', {
      timeoutMs: 1_000,
    });
    expect(error.reason).toBe('timeout');
    expect(turns).toBeGreaterThan(10);
  });

  it.each([
    ['strings', 'const a = []; while (true) a.push("x".repeat(1024) + a.length);'],
    ['an array', 'const a = []; while (true) a.push(a.length);'],
    ['typed arrays', 'const a = []; while (true) a.push(new Uint8Array(1 << 20));'],
  ])('a memory bomb of %s is reason memory, and the main loop turns meanwhile', async (_, bomb) => {
    const { turns, error } = await turnsWhileRunning(
      `console.log("started"); for (let i = 0; i < 1e6; i++); ${bomb}`,
      { memoryBytes: 48 * MiB, timeoutMs: NEVER_MS },
    );
    expect(error.reason).toBe('memory');
    expect(turns).toBeGreaterThan(10);
  });

  it('an AbortSignal cancels a running tool at once', async () => {
    const controller = new AbortController();
    const error = await failure(
      sandbox.run('console.log("started"); while (true) {}', {}, LIMITS, {
        signal: controller.signal,
        onLog: () => controller.abort(),
      }),
    );
    expect(error.reason).toBe('cancelled');
    // The terminated worker was replaced: both workers still serve.
    const results = await Promise.all([run('return 1'), run('return 2')]);
    expect(results.map((result) => result.output)).toEqual([1, 2]);
  });

  it('a stack overflow is reason error', async () => {
    const error = await failure(run('function f() { return f() + 1 } return f()'));
    expect(error.reason).toBe('error');
  });
});

describe('isolation', () => {
  it.each([
    ['this.constructor.constructor', 'return this.constructor.constructor("return process")()'],
    ['args.constructor.constructor', 'return args.constructor.constructor("return process")()'],
    ['Function', 'return Function("return require")()'],
    ['an async function constructor', 'return (async () => {}).constructor("return Buffer")()'],
  ])('reaching the host through %s fails', async (_, code) => {
    const error = await failure(run(code));
    expect(error.reason).toBe('error');
    expect(error.message).toMatch(/^ReferenceError: '(process|require|Buffer)' is not defined$/);
  });

  it('the global object has nothing of the host', async () => {
    const { output } = await run(
      'const g = Function("return globalThis")(); const names = []; for (let o = g; o; o = Object.getPrototypeOf(o)) names.push(...Object.getOwnPropertyNames(o)); return names',
    );
    const names = output as string[];
    expect(names).toContain('JSON');
    for (const name of HOST_NAMES) expect(names).not.toContain(name);
  });

  it('import() of a host module fails', async () => {
    const error = await failure(run('return await import("fs")'));
    expect(error.reason).toBe('error');
    expect(error.message).toContain('fs');
  });

  it('prototype pollution stays inside the call', async () => {
    const { output } = await run(
      'Object.prototype.polluted = 1; ({}).__proto__.x = 2; return [({}).polluted, JSON.parse(\'{"__proto__": {"y": 3}}\')]',
    );
    expect(output).toEqual([1, { ['__proto__']: { y: 3 } }]);
    const plain: Record<string, unknown> = {};
    expect(plain.polluted).toBeUndefined();
    expect(plain.x).toBeUndefined();
    expect(plain.y).toBeUndefined();
    // Nor does it outlive the call: the next one starts from a fresh interpreter.
    expect((await run('return [typeof ({}).polluted, typeof globalThis.leak]')).output).toEqual([
      'undefined',
      'undefined',
    ]);
  });

  it('state does not carry from one call to the next', async () => {
    await run('globalThis.leak = 1; return null');
    expect((await run('return typeof leak')).output).toBe('undefined');
  });
});

describe('checkJavaScript', () => {
  it('accepts a valid body, with await at its top level', () => {
    expect(
      checkJavaScript('const x = await Promise.resolve(args.n); return x + 1'),
    ).toBeUndefined();
  });

  it('returns the syntax error of an invalid body', () => {
    expect(checkJavaScript('return (')).toEqual(expect.any(String));
  });

  it('does not let a body close the function early', () => {
    expect(checkJavaScript('}); (async function () {')).toEqual(expect.any(String));
  });
});

describe('limits', () => {
  it('refuses a memory limit below what the interpreter needs', async () => {
    await expect(run('return 1', {}, { memoryBytes: MiB })).rejects.toThrow(RangeError);
  });

  it('a closed sandbox refuses calls', async () => {
    const closed = createJavaScriptSandbox({ workers: 1 });
    await closed.close();
    expect((await failure(closed.run('return 1', {}, LIMITS))).reason).toBe('cancelled');
  });
});
