// createMemorySubgraph: memories, folds and their embeddings in the subgraph's own database,
// searched with pgvector. Builds; main.ts listens.
import DataLoader from 'dataloader';
import {
  createSubgraphServer,
  openPubSub,
  openSubgraphDatabase,
  type SubgraphDeps,
  type SubgraphServer,
} from '@supergraph/kit';
import type { MemoryConfig } from './config.js';
import type { MemoryContext, MemoryEvents } from './context.js';
import {
  childrenByParentIds,
  foldPages,
  foldsByIds,
  foldVectors,
  memoriesByIds,
  memoryCountsByFold,
  purgeExpired,
  summariesByFoldIds,
  type FoldPageKey,
} from './db/queries.js';
import { tables } from './db/schema.js';
import { searchBatch, searchRowBudget, type SearchRequest } from './db/search.js';
import { checkEmbedder, ensureVectorIndexes, searchSettings } from './db/vector-index.js';
import { embedderId } from './embedding.js';
import { createEmbedder, type Embedder } from './embeddings/index.js';
import { resolvers } from './resolvers/index.js';
import { findTopics } from './topics.js';

const here = __dirname;
/** Folds larger than this are clustered on their newest memories only. */
const MAX_TOPIC_MEMORIES = 5_000;

export interface MemoryDeps extends SubgraphDeps {
  embedder?: Embedder;
  /** Sees every SQL statement (tests count them). */
  onQuery?: (query: string) => void;
}

export async function createMemorySubgraph(
  config: MemoryConfig,
  deps: MemoryDeps = {},
): Promise<SubgraphServer<MemoryContext>> {
  const embedder = deps.embedder ?? createEmbedder(config.embedder);
  const { dimensions } = embedder;
  const database = await openSubgraphDatabase(config, here, tables, {
    vector: true,
    sessionSettings: searchSettings(config.vectorIndex),
    onQuery: deps.onQuery,
  });
  const { db } = database;
  const events = openPubSub<MemoryEvents>(config.redisUrl);
  try {
    await checkEmbedder(db, embedderId({ embedder }), dimensions);
    await ensureVectorIndexes(db, dimensions, config.vectorIndex);
  } catch (error) {
    await database.close();
    await events.close();
    throw error;
  }
  const limits = {
    maxContentLength: config.maxContentLength,
    defaultFoldCapacity: config.defaultFoldCapacity,
    maxTopK: config.maxTopK,
    maxBatch: config.maxBatch,
    dedup: config.dedup,
  };

  const server = createSubgraphServer<MemoryContext>({
    config,
    sourceDir: here,
    resolvers,
    verifier: deps.verifier,
    database,
    readiness: { pubsub: events.ping },
    capabilities: [
      'memories',
      'folds',
      'vector-search',
      'hierarchy',
      'compression',
      'topics',
      'memory-events',
    ],
    context: (base) => {
      const owner = base.identity?.userId ?? '';
      const takeSearchRows = searchRowBudget(config.maxSearchRows);
      return {
        ...base,
        db,
        embedder,
        limits,
        pubsub: events.pubsub,
        memoriesById: new DataLoader((ids: readonly string[]) => memoriesByIds(db, owner, ids)),
        foldsById: new DataLoader((ids: readonly string[]) => foldsByIds(db, owner, ids)),
        memoryCounts: new DataLoader((ids: readonly string[]) => memoryCountsByFold(db, ids)),
        childrenOf: new DataLoader((ids: readonly string[]) => childrenByParentIds(db, owner, ids)),
        foldPages: new DataLoader((keys: readonly FoldPageKey[]) => foldPages(db, owner, keys), {
          cacheKeyFn: (key) => JSON.stringify(key),
        }),
        summariesOf: new DataLoader((ids: readonly string[]) => summariesByFoldIds(db, owner, ids)),
        search: new DataLoader(
          async (requests: readonly SearchRequest[]) => {
            takeSearchRows(requests);
            return searchBatch(db, owner, dimensions, requests);
          },
          { cacheKeyFn: (request) => JSON.stringify(request) },
        ),
        topicsOf: new DataLoader((keys: readonly string[]) =>
          Promise.all(
            keys.map(async (key) => {
              const [foldId, k] = key.split('#') as [string, string | undefined];
              const items = await foldVectors(db, owner, foldId, MAX_TOPIC_MEMORIES);
              return findTopics({ items, k: k ? Number(k) : undefined }).map((topic) => ({
                ...topic,
                id: `${foldId}:${topic.id}`,
              }));
            }),
          ),
        ),
      };
    },
    onClose: async () => {
      clearInterval(purging);
      await events.close();
      await embedder.close?.();
    },
  });

  const purging = setInterval(() => {
    purgeExpired(db).then(
      (purged) => purged > 0 && server.logger.info({ purged }, 'purged expired memories'),
      (error: unknown) => server.logger.warn({ err: error }, 'purging expired memories failed'),
    );
  }, config.purgeIntervalMs);
  purging.unref();
  return server;
}
