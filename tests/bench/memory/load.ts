// The batched load (measure 4): createMemories calls in flight, lock waits sampled meanwhile.
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { CREATE_MANY, post } from './api.js';
import { newInput, textGenerator } from './data.js';
import { latencies } from './latency.js';
import { BATCH, IN_FLIGHT, INDEX_NAME } from './settings.js';

/** Samples, until stopped, how many of the database's sessions wait for a lock. */
function lockWaits(client: pg.Client) {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      samples.push(rows[0]!.n);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return async () => {
    running = false;
    await loop;
    const waiting = samples.filter((n) => n > 0).length;
    return {
      samples: samples.length,
      share: samples.length ? waiting / samples.length : 0,
      mean: samples.reduce((sum, n) => sum + n, 0) / Math.max(1, samples.length),
    };
  };
}

async function load(url: string, token: string, total: number, folds: string[]) {
  const generator = textGenerator(42);
  const batches: ReturnType<typeof newInput>[][] = [];
  for (let done = 0; done < total; done += BATCH) {
    batches.push(
      Array.from({ length: Math.min(BATCH, total - done) }, () => newInput(generator, folds)),
    );
  }
  const ids: string[] = [];
  const batchTimes: number[] = [];
  let next = 0;
  let lastReport = performance.now();
  const start = performance.now();
  const worker = async () => {
    while (next < batches.length) {
      const inputs = batches[next++]!;
      const t0 = performance.now();
      const data = await post<{ createMemories: { id: string }[] }>(url, token, {
        query: CREATE_MANY,
        variables: { inputs },
      });
      batchTimes.push(performance.now() - t0);
      for (const { id } of data.createMemories) ids.push(id);
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        const rate = ids.length / ((lastReport - start) / 1000);
        console.log(`  loaded ${ids.length}/${total} (${rate.toFixed(0)} memories/s so far)`);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - start) / 1000;
  return { ids, seconds, perSecond: ids.length / seconds, batch: latencies(batchTimes) };
}

/** Loads `total` memories through `url` into `folds` (and none), prints how it went, then
 * analyzes the table; `client` is a direct connection to the database. */
export async function loadMemories(
  client: pg.Client,
  url: string,
  token: string,
  total: number,
  folds: string[],
) {
  console.log(`  loading: createMemories x ${BATCH}, ${IN_FLIGHT} calls in flight, direct`);
  const stopSampling = lockWaits(client);
  const loaded = await load(url, token, total, folds);
  const waits = await stopSampling();
  console.log(
    `  loaded ${loaded.ids.length} in ${loaded.seconds.toFixed(1)} s: ${loaded.perSecond.toFixed(0)} memories/s` +
      ` (batch of ${BATCH}: p50 ${loaded.batch.p50.toFixed(0)} ms, p95 ${loaded.batch.p95.toFixed(0)} ms)`,
  );
  console.log(
    `  during the load, sessions waiting on a lock: ${(waits.share * 100).toFixed(0)}% of ${waits.samples} samples, ` +
      `${waits.mean.toFixed(2)} on average (of ${IN_FLIGHT} writers)`,
  );
  // What autovacuum does sooner or later: the plans below see current statistics.
  await client.query('ANALYZE memories');
  console.log('  ANALYZE memories done (plans below use fresh statistics)');
  const stats = await client.query<{ n: string; size: string; index: string }>(
    `SELECT count(*) AS n, pg_size_pretty(pg_total_relation_size('memories')) AS size,
            pg_size_pretty(pg_relation_size('${INDEX_NAME}')) AS index FROM memories`,
  );
  console.log(
    `  table memories: ${stats.rows[0]!.n} rows, ${stats.rows[0]!.size} with indexes; ${INDEX_NAME}: ${stats.rows[0]!.index}`,
  );
  return loaded;
}
