// The benchmark's sizes, budgets and targets, and the two settings it reads from the
// environment.

export const DIMENSIONS = 384;
export const FOLDS = 20;
export const BATCH = 500;
export const IN_FLIGHT = 4;
export const WARM_UP = 20;
export const REQUESTS = 300;
export const RECALL_QUERIES = 100;
export const SIMILAR_FIELDS = 50;
export const EF_SEARCH = 100;
export const SQL_EF_SEARCH = [40, EF_SEARCH];
export const REQUEST_TIMEOUT_MS = 120_000;
/** A latency measurement stops early (fewer samples, printed) once it has taken this long. */
export const MEASURE_BUDGET_MS = 90_000;
export const RECALL_BUDGET_MS = 120_000;
/** EXPLAIN ANALYZE of the `similar` statement runs on this many of its searches. */
export const EXPLAINED_SIMILAR = 5;
export const INDEX_NAME = `memories_embedding_hnsw_cosine_${DIMENSIONS}`;

export const TARGETS = {
  createP95: 50,
  readP95: 20,
  searchDirectP95: 20,
  searchRouterP95: 50,
  recall: 0.95,
  batchPerSecond: 1_000,
  statements: 1,
};

/** The memory count to load: BENCH_MEMORIES, default 100,000. */
export function memoryCount(): number {
  const raw = process.env['BENCH_MEMORIES'] ?? '100000';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1_000) {
    throw new Error(`BENCH_MEMORIES must be an integer of at least 1000, got ${raw}`);
  }
  return n;
}

/** DATABASE_URL, refused unless it is on 127.0.0.1: the benchmark creates and drops databases. */
export function serverUrl(): string {
  const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  if (new URL(url).hostname !== '127.0.0.1') {
    throw new Error(`the memory benchmark only runs on 127.0.0.1; DATABASE_URL is ${url}`);
  }
  return url;
}
