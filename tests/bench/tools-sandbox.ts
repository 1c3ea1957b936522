// The tools subgraph's JavaScript sandbox (QuickJS in WASM on a worker pool):
// 1. cold start: a new sandbox (worker spawn, WASM compile) through its first trivial call;
// 2. warm calls: p50/p99 of sequential calls of a trivial tool and of a CPU-bound one (a loop
//    of 1e6), each call in a fresh interpreter as in production.
// It measures and prints; it never asserts on time.
import { performance } from 'node:perf_hooks';
import {
  createJavaScriptSandbox,
  DEFAULT_SANDBOX_LIMITS,
  type JavaScriptSandbox,
} from '../../subgraphs/tools/src/sandbox/index.js';
import { ascending, percentile } from './stats.js';

const COLD_STARTS = 5;
const WARM_UP = 10;
const TRIVIAL_CALLS = 300;
const CPU_CALLS = 30;
const TRIVIAL = 'return args.n + 1';
const CPU_BOUND = 'let sum = 0; for (let i = 0; i < 1e6; i++) sum += i; return sum';

const ms = (value: number) => `${value.toFixed(2).padStart(8)} ms`;

function report(name: string, samples: number[]): void {
  const sorted = ascending(samples);
  console.log(
    `  ${name.padEnd(34)} p50 ${ms(percentile(sorted, 50))}  p99 ${ms(percentile(sorted, 99))}  (n=${samples.length})`,
  );
}

async function timeCall(sandbox: JavaScriptSandbox, code: string): Promise<number> {
  const started = performance.now();
  await sandbox.run(code, { n: 1 }, DEFAULT_SANDBOX_LIMITS);
  return performance.now() - started;
}

async function sequential(sandbox: JavaScriptSandbox, code: string, calls: number) {
  for (let i = 0; i < WARM_UP; i += 1) await timeCall(sandbox, code);
  const samples: number[] = [];
  for (let i = 0; i < calls; i += 1) samples.push(await timeCall(sandbox, code));
  return samples;
}

export async function toolsSandbox(): Promise<void> {
  console.log('tools sandbox (QuickJS/WASM, a fresh interpreter per call, worker threads)');
  const cold: number[] = [];
  for (let i = 0; i < COLD_STARTS; i += 1) {
    const started = performance.now();
    const sandbox = createJavaScriptSandbox({ workers: 1 });
    await sandbox.run(TRIVIAL, { n: 1 }, DEFAULT_SANDBOX_LIMITS);
    cold.push(performance.now() - started);
    await sandbox.close();
  }
  report('cold start (new sandbox, 1st call)', cold);

  const sandbox = createJavaScriptSandbox({ workers: 1 });
  try {
    report('warm call, trivial', await sequential(sandbox, TRIVIAL, TRIVIAL_CALLS));
    report('warm call, loop of 1e6', await sequential(sandbox, CPU_BOUND, CPU_CALLS));
  } finally {
    await sandbox.close();
  }
}
