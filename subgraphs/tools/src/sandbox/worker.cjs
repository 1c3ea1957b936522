// A piscina worker that runs one tool call in a fresh QuickJS interpreter (WASM). Plain
// CommonJS so that a worker thread can load it under jest, tsx and the built dist alike.
// Each call gets its own WebAssembly.Memory whose maximum is the call's memory limit: the
// prebuilt QuickJS counts a constant 8 bytes per allocation (malloc_usable_size is 0 under
// emscripten), so JS_SetMemoryLimit alone let a loop of 1 KiB strings grow to 2 GiB here; a
// memory that cannot grow past the limit makes malloc fail, which QuickJS reports as
// "out of memory". A fresh instance per call also means nothing survives from one call to the
// next, and a call that broke the interpreter (a host stack overflow) breaks nothing else.
'use strict';
/* global WebAssembly */

const { Buffer } = require('node:buffer');
const { readFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const { newQuickJSWASMModuleFromVariant, newVariant } = require('quickjs-emscripten-core');
const releaseSync = require('@jitl/quickjs-wasmfile-release-sync').default;

const WASM_PAGE_BYTES = 65_536;
/** The release-sync build declares 256 pages (16 MiB) as the memory it starts with. */
const INITIAL_PAGES = 256;
/** A log message longer than this is cut (characters). */
const MAX_LOG_MESSAGE_CHARS = 8_192;
/** A progress message longer than this is cut (characters). */
const MAX_PROGRESS_MESSAGE_CHARS = 1_024;
/** Progress reports of one call past this many are dropped: each is a message to the host. */
const MAX_PROGRESS_REPORTS = 1_000;
/** An error message longer than this is cut (characters). */
const MAX_ERROR_MESSAGE_CHARS = 4_096;

// Compiled once per worker; instantiating it per call is the cheap part.
const wasmModule = new WebAssembly.Module(
  readFileSync(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')),
);

// Runs inside QuickJS before the tool: turns console.* calls into one string each and hands
// them to the host, then gives back the tool as an async function of (args, progress). The
// tool's body is compiled by the AsyncFunction constructor, so `await` works at its top level.
const PRELUDE = `(function (hostLog, hostProgress, body) {
  const format = (value) => {
    if (typeof value === 'string') return value;
    try { const json = JSON.stringify(value); return json === undefined ? String(value) : json; }
    catch { return String(value); }
  };
  const console = {};
  for (const level of ['debug', 'info', 'log', 'warn', 'error'])
    console[level] = (...values) => { hostLog(level, values.map(format).join(' ')); };
  Object.defineProperty(globalThis, 'console', { value: Object.freeze(console) });
  const progress = (value, total, message) => { hostProgress(value, total, message); };
  const AsyncFunction = (async function () {}).constructor;
  const tool = new AsyncFunction('args', 'progress', body);
  return (argsJson) => tool(JSON.parse(argsJson), progress);
})`;

// Serialises the awaited output inside QuickJS, where it lives (undefined becomes null), and
// hands over at most `max` characters of it with the full length, so that a huge output is
// never copied out whole.
const SERIALISE = `(function (value, max) {
  const json = JSON.stringify(value) ?? 'null';
  return [json.length, json.slice(0, max)];
})`;

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
function cutUtf8(text, maxBytes) {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // A cut inside a multi-byte character decodes to U+FFFD at the end: drop it.
  return bytes
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/u, '');
}

class ToolFailure extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

/**
 * One call. `task.port` receives {type:'started'|'log'|'progress'|'done'} messages; the
 * last is the outcome, sent on the same port so that no log can arrive after it.
 */
module.exports = async function runTool(task) {
  const { code, argsJson, limits, port } = task;
  const started = performance.now();
  let cpuMs = 0;
  const logs = [];
  let logsTruncated = false;
  const memory = new WebAssembly.Memory({
    initial: INITIAL_PAGES,
    maximum: Math.max(INITIAL_PAGES, Math.floor(limits.memoryBytes / WASM_PAGE_BYTES)),
  });
  const finish = (outcome) =>
    port.postMessage({
      type: 'done',
      ...outcome,
      logs,
      logsTruncated,
      cpuMs,
      wallMs: performance.now() - started,
      memoryBytes: memory.buffer.byteLength,
    });
  port.postMessage({ type: 'started' });

  let quickjs;
  try {
    quickjs = await newQuickJSWASMModuleFromVariant(
      newVariant(releaseSync, { wasmModule, wasmMemory: memory }),
    );
  } catch (error) {
    finish({ ok: false, reason: 'error', message: `sandbox failed to start: ${error.message}` });
    return;
  }
  const runtime = quickjs.newRuntime();
  runtime.setMemoryLimit(limits.memoryBytes);
  const deadline = started + limits.timeoutMs;
  let timedOut = false;
  runtime.setInterruptHandler(() => (timedOut = performance.now() > deadline));
  const ctx = runtime.newContext();

  const hostLog = ctx.newFunction('log', (levelHandle, messageHandle) => {
    if (logs.length >= limits.maxLogLines) {
      logsTruncated = true;
      return;
    }
    let message = ctx.getString(messageHandle);
    if (message.length > MAX_LOG_MESSAGE_CHARS) {
      message = `${message.slice(0, MAX_LOG_MESSAGE_CHARS)}…`;
      logsTruncated = true;
    }
    const log = { level: ctx.getString(levelHandle), message, at: Date.now() };
    logs.push(log);
    port.postMessage({ type: 'log', log });
  });
  let progressReports = 0;
  const hostProgress = ctx.newFunction('progress', (valueHandle, totalHandle, messageHandle) => {
    const value = ctx.typeof(valueHandle) === 'number' ? ctx.getNumber(valueHandle) : NaN;
    if (!Number.isFinite(value)) {
      return { error: ctx.newError('progress(value, total?, message?): value must be a number') };
    }
    progressReports += 1;
    if (progressReports > MAX_PROGRESS_REPORTS) return;
    const report = { progress: value };
    if (totalHandle && ctx.typeof(totalHandle) === 'number') {
      const total = ctx.getNumber(totalHandle);
      if (Number.isFinite(total)) report.total = total;
    }
    if (messageHandle && ctx.typeof(messageHandle) === 'string') {
      report.message = ctx.getString(messageHandle).slice(0, MAX_PROGRESS_MESSAGE_CHARS);
    }
    port.postMessage({ type: 'progress', progress: report });
  });

  // Host time spent inside the interpreter: QuickJS runs synchronously on this thread and
  // the thread does nothing else meanwhile, so this is the call's CPU time (Node 20 has no
  // per-thread CPU clock).
  const inVm = (fn) => {
    const at = performance.now();
    try {
      return fn();
    } finally {
      cpuMs += performance.now() - at;
    }
  };
  const failureOf = (errorHandle) => {
    const error = ctx.dump(errorHandle);
    errorHandle.dispose();
    const message =
      error && typeof error === 'object' && 'message' in error
        ? `${error.name ? `${error.name}: ` : ''}${error.message}`
        : String(error);
    if (timedOut) return new ToolFailure('timeout', `tool ran past ${limits.timeoutMs} ms`);
    if (error && error.name === 'InternalError' && /out of memory/.test(error.message)) {
      return new ToolFailure('memory', `tool used more than ${limits.memoryBytes} bytes`);
    }
    return new ToolFailure('error', message.slice(0, MAX_ERROR_MESSAGE_CHARS));
  };
  const call = (fnHandle, ...argHandles) => {
    const result = inVm(() => ctx.callFunction(fnHandle, ctx.undefined, ...argHandles));
    if (result.error) throw failureOf(result.error);
    return result.value;
  };

  try {
    const prelude = inVm(() => ctx.evalCode(PRELUDE, 'prelude.js'));
    if (prelude.error) throw failureOf(prelude.error);
    const body = ctx.newString(code);
    const toolFn = call(prelude.value, hostLog, hostProgress, body);
    const argsHandle = ctx.newString(argsJson);
    const promise = call(toolFn, argsHandle);
    // Settle the tool's promise: there are no timers or I/O inside, so once the job queue is
    // empty a promise still pending can never settle.
    for (;;) {
      const state = ctx.getPromiseState(promise);
      if (state.type !== 'pending') break;
      const jobs = inVm(() => runtime.executePendingJobs());
      if (jobs.error) throw failureOf(jobs.error);
      if (jobs.value === 0 && ctx.getPromiseState(promise).type === 'pending') {
        throw new ToolFailure('error', 'the tool awaited a promise that never settles');
      }
    }
    const state = ctx.getPromiseState(promise);
    if (state.type === 'rejected') throw failureOf(state.error);
    const serialise = inVm(() => ctx.evalCode(SERIALISE, 'serialise.js'));
    if (serialise.error) throw failureOf(serialise.error);
    // A UTF-8 byte is at most one character, so outputBytes characters hold any cut.
    const pair = call(serialise.value, state.value, ctx.newNumber(limits.outputBytes));
    const length = ctx.getNumber(ctx.getProp(pair, 0));
    const head = ctx.getString(ctx.getProp(pair, 1));
    const json = cutUtf8(head, limits.outputBytes);
    finish({ ok: true, json, truncated: json.length < length });
  } catch (error) {
    if (error instanceof ToolFailure) {
      finish({ ok: false, reason: error.reason, message: error.message });
    } else if (error instanceof RangeError && /call stack/.test(error.message)) {
      // QuickJS' own stack check is off in its emscripten build; the host's catches it.
      finish({ ok: false, reason: 'error', message: 'RangeError: stack overflow' });
    } else if (error instanceof WebAssembly.RuntimeError) {
      const full = memory.buffer.byteLength >= limits.memoryBytes;
      finish({ ok: false, reason: full ? 'memory' : 'error', message: error.message });
    } else {
      finish({ ok: false, reason: 'error', message: String(error?.message ?? error) });
    }
  }
  // The whole instance, memory included, is dropped with this call: freeing handles one by
  // one after an interrupted or broken run could itself fail.
  port.close();
};
