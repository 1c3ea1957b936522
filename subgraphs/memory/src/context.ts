// What the memory subgraph's resolvers receive.
import type { BaseContext, Database, PubSubHandle } from '@supergraph/kit';
import type DataLoader from 'dataloader';
import type { MemoryConfig } from './config.js';
import type { FoldPageKey } from './db/queries.js';
import type { FoldRow, MemoryRow, tables } from './db/schema.js';
import type { SearchHit, SearchRequest } from './db/search.js';
import type { MemoryChange } from './db/writes.js';
import type { Embedder } from './embeddings/index.js';
import type { Topic } from './topics.js';

export type MemoryEvents = { 'memory:event': [string, MemoryChange] };

export interface MemoryContext extends BaseContext {
  db: Database<typeof tables>;
  embedder: Embedder;
  limits: Pick<
    MemoryConfig,
    'maxContentLength' | 'defaultFoldCapacity' | 'maxTopK' | 'maxBatch' | 'dedup'
  >;
  pubsub: PubSubHandle<MemoryEvents>['pubsub'];
  /** Lookups by id, batched per request; each row is visible only to its creator. */
  memoriesById: DataLoader<string, MemoryRow | null>;
  foldsById: DataLoader<string, FoldRow | null>;
  memoryCounts: DataLoader<string, number>;
  childrenOf: DataLoader<string, MemoryRow[]>;
  /** Pages of Fold.memories, all folds of a request in one statement. */
  foldPages: DataLoader<FoldPageKey, { rows: MemoryRow[]; hasNextPage: boolean }>;
  summariesOf: DataLoader<string, MemoryRow[]>;
  /** Every vector search of the request, answered by one SQL statement. */
  search: DataLoader<SearchRequest, SearchHit[]>;
  /** Topics of a fold, by fold id (or `foldId#k` for a chosen number of topics). */
  topicsOf: DataLoader<string, Topic[]>;
}
