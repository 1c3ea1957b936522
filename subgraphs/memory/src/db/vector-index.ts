// The vector indexes and the embedder check at start. The dimension lives in configuration,
// so the indexes are expression indexes on `embedding::vector(N)` built for it here, and the
// database remembers which dimension its vectors have: a different one is refused.
import { count, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import type { VectorIndexConfig } from '../config.js';
import { memories, memorySettings, type tables } from './schema.js';

type Db = Database<typeof tables>;

export type Metric = 'COSINE' | 'L2' | 'INNER_PRODUCT';

const OPERATOR: Record<Metric, string> = { COSINE: '<=>', L2: '<->', INNER_PRODUCT: '<#>' };
const OPCLASS: Record<Metric, string> = {
  COSINE: 'vector_cosine_ops',
  L2: 'vector_l2_ops',
  INNER_PRODUCT: 'vector_ip_ops',
};

/** `embedding::vector(N) <op> <query>`: the same expression the index was built on. */
export function distanceTo(metric: Metric, dimensions: number, query: SQL): SQL {
  return sql`(${memories.embedding}::vector(${sql.raw(String(dimensions))}) ${sql.raw(
    OPERATOR[metric],
  )} ${query}::vector(${sql.raw(String(dimensions))}))`;
}

/** Score: higher is closer, whatever the metric. */
export function scoreOf(metric: Metric, distance: number): number {
  if (metric === 'COSINE') return 1 - distance;
  if (metric === 'L2') return 1 / (1 + distance);
  return -distance; // pgvector's <#> is the negative inner product
}

export class EmbedderMismatchError extends Error {
  override name = 'EmbedderMismatchError';
}

const DIMENSIONS_KEY = 'embedding.dimensions';
const EMBEDDER_KEY = 'embedding.embedder';

/** Records the embedder of a new database; refuses a different dimension on one with data. */
export async function checkEmbedder(db: Db, embedder: string, dimensions: number): Promise<void> {
  const [stored] = await db
    .select()
    .from(memorySettings)
    .where(eq(memorySettings.key, DIMENSIONS_KEY));
  if (stored && Number(stored.value) !== dimensions) {
    const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(memories);
    if (n > 0) {
      throw new EmbedderMismatchError(
        `The memory database holds ${n} embeddings of ${stored.value} dimensions, but the ` +
          `embedder is configured for ${dimensions} (EMBEDDING_DIMENSIONS). Set it back to ` +
          `${stored.value}, or use a new database for the new embedder.`,
      );
    }
  }
  for (const [key, value] of [
    [DIMENSIONS_KEY, String(dimensions)],
    [EMBEDDER_KEY, embedder],
  ] as const) {
    await db
      .insert(memorySettings)
      .values({ key, value })
      .onConflictDoUpdate({ target: memorySettings.key, set: { value, updatedAt: sql`now()` } });
  }
}

/** Builds the configured index (HNSW or IVFFlat) for each indexed metric, if missing. */
export async function ensureVectorIndexes(
  db: Db,
  dimensions: number,
  config: VectorIndexConfig,
): Promise<void> {
  for (const metric of config.metrics) {
    const name = `memories_embedding_${config.kind}_${metric.toLowerCase()}_${dimensions}`;
    const using =
      config.kind === 'hnsw'
        ? `hnsw ((embedding::vector(${dimensions})) ${OPCLASS[metric]}) WITH (m = ${config.hnswM}, ef_construction = ${config.hnswEfConstruction})`
        : `ivfflat ((embedding::vector(${dimensions})) ${OPCLASS[metric]}) WITH (lists = ${config.ivfflatLists})`;
    // Building an index over many rows takes longer than any request may
    // (DATABASE_STATEMENT_TIMEOUT_MS): it runs at start, with no timeout of its own.
    await db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL statement_timeout = 0`);
      await tx.execute(sql.raw(`CREATE INDEX IF NOT EXISTS ${name} ON memories USING ${using}`));
    });
  }
}

/** Session settings for the chosen index's search breadth. */
export function searchSettings(config: VectorIndexConfig): Record<string, number | string> {
  return {
    // The planner overestimates a batch of LATERAL searches (it assumes 100 rows from
    // jsonb_to_recordset) past the JIT thresholds: compiling then took 287 of 313 ms of a
    // search that scans the index in 4 ms (benchmark, 100k memories).
    jit: 'off',
    ...(config.kind === 'hnsw'
      ? { 'hnsw.ef_search': config.hnswEfSearch, 'hnsw.iterative_scan': 'relaxed_order' }
      : { 'ivfflat.probes': config.ivfflatProbes, 'ivfflat.iterative_scan': 'relaxed_order' }),
  };
}
