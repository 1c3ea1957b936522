// Latencies: timed sequential requests and their percentiles (measures 1 to 3).
import { performance } from 'node:perf_hooks';
import { CREATE_ONE, post, READ, SEARCH } from './api.js';
import { mulberry32 } from '../../../subgraphs/memory/src/text.js';
import { newInput, textGenerator } from './data.js';
import { MEASURE_BUDGET_MS, REQUESTS, WARM_UP } from './settings.js';
import { ascending, percentile } from '../stats.js';

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentiles of a sample, in ms. */
export function latencies(samples: number[]): Latency {
  const sorted = ascending(samples);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  const at = (p: number) => percentile(sorted, p);
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), mean };
}

/** WARM_UP unmeasured calls, then REQUESTS sequential timed calls (fewer if they take longer
 * than MEASURE_BUDGET_MS in all: the count is printed). */
async function timed(call: (i: number) => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < WARM_UP; i += 1) await call(i);
  const samples: number[] = [];
  const began = performance.now();
  for (let i = 0; i < REQUESTS && performance.now() - began < MEASURE_BUDGET_MS; i += 1) {
    const start = performance.now();
    await call(WARM_UP + i);
    samples.push(performance.now() - start);
  }
  return latencies(samples);
}

/** Create, read and search latencies, direct (`direct`) and, for search, through the router
 * (`router`), on the loaded memories `ids`. */
export async function measureLatencies(
  direct: string,
  router: string,
  token: string,
  folds: string[],
  ids: string[],
) {
  // 1. create
  const creating = textGenerator(7);
  const create = await timed(() =>
    post(direct, token, { query: CREATE_ONE, variables: { input: newInput(creating, folds) } }),
  );

  // 2. read
  const picking = mulberry32(11);
  const randomId = () => ids[Math.floor(picking() * ids.length)]!;
  const read = await timed(() => post(direct, token, { query: READ.replace('ID', randomId()) }));

  // 3. search by text, direct and through the router
  const asking = textGenerator(13);
  const questions = Array.from({ length: WARM_UP + REQUESTS }, () => asking.text());
  const search = (url: string) =>
    timed((i) =>
      post(url, token, { query: SEARCH, variables: { input: { text: questions[i], topK: 10 } } }),
    );
  const searchDirect = await search(direct);
  const searchRouter = await search(router);
  return { create, read, searchDirect, searchRouter };
}
