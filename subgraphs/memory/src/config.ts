// Settings of the memory subgraph, parsed once from the environment by main.ts.
import { loadConfig, optionalUrlSetting, subgraphConfig, subgraphEnvShape } from '@supergraph/kit';
import { z } from 'zod';

const int = (fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const envSchema = z.object({
  ...subgraphEnvShape('memory', 4001),
  MEMORY_MAX_CONTENT_LENGTH: int(100_000),
  MEMORY_DEFAULT_FOLD_CAPACITY: int(10_000, 1, 1_000_000),
  MEMORY_MAX_TOP_K: int(1_000, 1, 10_000),
  MEMORY_MAX_BATCH: int(1_000, 1, 100_000),
  /** Memories the searches of one request may read in all (the sum of their topK). */
  MEMORY_MAX_SEARCH_ROWS: int(100_000, 1, 10_000_000),
  /** Cosine distance under which a new memory merges into an existing one of its fold. */
  MEMORY_DEDUP_DISTANCE: z.coerce.number().min(0).max(2).default(0.05),
  /** Whether creating a memory deduplicates unless the input says otherwise. */
  MEMORY_DEDUPLICATE: z.enum(['true', 'false']).default('false'),
  MEMORY_PURGE_INTERVAL_MS: int(60_000, 100),
  MEMORY_VECTOR_INDEX: z.enum(['hnsw', 'ivfflat']).default('hnsw'),
  /** Metrics that get an index (comma-separated); the others are searched by exact scan. */
  MEMORY_INDEXED_METRICS: z
    .string()
    .default('COSINE')
    .transform((value) => value.split(',').map((metric) => metric.trim().toUpperCase()))
    .pipe(z.array(z.enum(['COSINE', 'L2', 'INNER_PRODUCT'])).min(1)),
  MEMORY_HNSW_M: int(16, 2, 100),
  MEMORY_HNSW_EF_CONSTRUCTION: int(64, 4, 1_000),
  MEMORY_HNSW_EF_SEARCH: int(100, 1, 1_000),
  MEMORY_IVFFLAT_LISTS: int(100, 1, 32_768),
  MEMORY_IVFFLAT_PROBES: int(10, 1, 32_768),
  EMBEDDER: z.enum(['offline', 'openai']).default('offline'),
  EMBEDDING_DIMENSIONS: int(384, 2, 16_000),
  EMBEDDING_BASE_URL: optionalUrlSetting,
  EMBEDDING_API_KEY: z.string().optional(),
  EMBEDDING_MODEL: z.string().optional(),
  EMBEDDING_TIMEOUT_MS: int(10_000),
});

export function toMemoryConfig(env: z.infer<typeof envSchema>) {
  return {
    ...subgraphConfig('memory', env),
    maxContentLength: env.MEMORY_MAX_CONTENT_LENGTH,
    defaultFoldCapacity: env.MEMORY_DEFAULT_FOLD_CAPACITY,
    maxTopK: env.MEMORY_MAX_TOP_K,
    maxBatch: env.MEMORY_MAX_BATCH,
    maxSearchRows: env.MEMORY_MAX_SEARCH_ROWS,
    dedup: { byDefault: env.MEMORY_DEDUPLICATE === 'true', distance: env.MEMORY_DEDUP_DISTANCE },
    purgeIntervalMs: env.MEMORY_PURGE_INTERVAL_MS,
    vectorIndex: {
      kind: env.MEMORY_VECTOR_INDEX,
      metrics: env.MEMORY_INDEXED_METRICS,
      hnswM: env.MEMORY_HNSW_M,
      hnswEfConstruction: env.MEMORY_HNSW_EF_CONSTRUCTION,
      hnswEfSearch: env.MEMORY_HNSW_EF_SEARCH,
      ivfflatLists: env.MEMORY_IVFFLAT_LISTS,
      ivfflatProbes: env.MEMORY_IVFFLAT_PROBES,
    },
    embedder: {
      kind: env.EMBEDDER,
      dimensions: env.EMBEDDING_DIMENSIONS,
      baseUrl: env.EMBEDDING_BASE_URL,
      apiKey: env.EMBEDDING_API_KEY,
      model: env.EMBEDDING_MODEL,
      timeoutMs: env.EMBEDDING_TIMEOUT_MS,
    },
  };
}

export type MemoryConfig = ReturnType<typeof toMemoryConfig>;
export type VectorIndexConfig = MemoryConfig['vectorIndex'];

export const parseConfig = (env: Record<string, string | undefined>): MemoryConfig =>
  toMemoryConfig(loadConfig(envSchema, env));
