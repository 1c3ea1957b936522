// Child process of the gateways benchmark that makes the load with autocannon, so that the
// client's CPU is not the gateway's nor the parent's. Each `run` is one continuous load: a
// warm-up, then the measured window, then a short tail. The window lies inside the load, so as
// many requests are in flight at its start as at its end and the gateway's CPU and subgraph
// requests over it belong to the answers completed in it; the worker tells the parent when the
// window opens and closes so that it can read those. Every answer of the whole run must be the
// expected body with status 200 (autocannon counts the others as mismatches, non-2xx or errors).
import autocannon from 'autocannon';

export interface LoadRun {
  type: 'run';
  url: string;
  body: string;
  expectBody: string;
  connections: number;
  warmupS: number;
  durationS: number;
}

export interface LoadWindow {
  type: 'window';
  edge: 'open' | 'close';
}

export interface LoadResult {
  type: 'result';
  /** Answers completed in the window. */
  requests: number;
  /** The window's length, as measured here. */
  windowMs: number;
  rps: number;
  p50: number;
  p99: number;
  // Over the whole run:
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  /** The start of the first answer that was not the expected body, to say what went wrong. */
  firstMismatch?: string;
}

/** Load that goes on after the window closes, so that it closes under full load. */
const TAIL_S = 1;
/** An answer later than this counts as an error; generous, since a busy machine stretches
 * the tail far beyond the p99 of a quiet one. */
const TIMEOUT_S = 60;

const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? NaN;

async function run(options: LoadRun): Promise<LoadResult> {
  const latencies: number[] = [];
  let measuring = false;
  let firstMismatch: string | undefined;
  let opened = 0;
  let windowMs = 0;
  let finish!: (result: autocannon.Result) => void;
  let fail!: (error: unknown) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const settings: autocannon.Options = {
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: options.body,
    // autocannon gathers the body as a string (its chunks decoded apart: the answers are ASCII).
    verifyBody: (body) => {
      if (body === options.expectBody) return true;
      firstMismatch ??= String(body).slice(0, 1000);
      return false;
    },
    connections: options.connections,
    timeout: TIMEOUT_S,
    duration: options.warmupS + options.durationS + TAIL_S,
  };
  const instance = autocannon(settings, (error: unknown, result: autocannon.Result) =>
    error ? fail(error) : finish(result),
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    if (measuring) latencies.push(responseTime);
  });
  setTimeout(() => {
    measuring = true;
    opened = performance.now();
    process.send!({ type: 'window', edge: 'open' } satisfies LoadWindow);
  }, options.warmupS * 1000);
  setTimeout(
    () => {
      measuring = false;
      windowMs = performance.now() - opened;
      process.send!({ type: 'window', edge: 'close' } satisfies LoadWindow);
    },
    (options.warmupS + options.durationS) * 1000,
  );
  const result = await finished;
  latencies.sort((a, b) => a - b);
  return {
    type: 'result',
    requests: latencies.length,
    windowMs,
    rps: (latencies.length * 1000) / windowMs,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
    firstMismatch,
  };
}

process.on('message', (message: LoadRun) => {
  void run(message).then((result) => process.send!(result));
});
process.on('disconnect', () => process.exit(0));
