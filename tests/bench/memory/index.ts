// Memory subgraph on a real PostgreSQL with pgvector: loads BENCH_MEMORIES (default 100,000)
// memories of 384 dimensions through `createMemories`, then prints latencies (create, read,
// search direct and through the router), the batch load rate, recall@10 of the HNSW search
// against an exact scan, the SQL statements of a request with 50 `similar` fields and the
// plan of a search statement. It measures and prints; it never asserts on time.
//
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the server; a fresh
// database is created on it and dropped at the end, also on failure or Ctrl-C.
//
// This file runs the phases in order and owns the cleanup; each phase lives in its own file.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createTestDatabase } from '@supergraph/kit/testing';
import { signUp, startSupergraph, type Supergraph } from '../../harness.js';
import { post } from './api.js';
import { measureLatencies } from './latency.js';
import { loadMemories } from './load.js';
import { measureRecall } from './recall.js';
import { printReport } from './report.js';
import { UNTHROTTLED } from '../request.js';
import { DIMENSIONS, EF_SEARCH, FOLDS, memoryCount, serverUrl } from './settings.js';
import { countStatements } from './statements.js';

export async function memory(): Promise<void> {
  const total = memoryCount();
  const server = serverUrl();
  const began = performance.now();
  const database = await createTestDatabase(server, 'bench_memory');
  const cleanups: (() => Promise<unknown>)[] = [() => database.drop()];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  };
  const onSignal = () => {
    console.error('\ninterrupted: dropping the benchmark database');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    console.log(`\nmemory: ${total} memories x ${DIMENSIONS} dimensions on ${database.url}`);
    const supergraph: Supergraph = await startSupergraph({
      env: {
        MEMORY_DATABASE_URL: database.url,
        EMBEDDING_DIMENSIONS: String(DIMENSIONS),
        MEMORY_HNSW_EF_SEARCH: String(EF_SEARCH),
        // Folds are filled here far beyond the default 10,000 per fold at large scales.
        MEMORY_DEFAULT_FOLD_CAPACITY: '1000000',
        // Tokens must outlive a long load.
        TOKEN_TTL_SECONDS: '86400',
        ...UNTHROTTLED,
      },
    });
    cleanups.push(() => supergraph.close());
    const direct = supergraph.subgraphUrls.memory;
    const { token, userId } = await signUp(supergraph.url, 'bench-memory@example.com');

    const folds: string[] = [];
    for (let i = 0; i < FOLDS; i += 1) {
      const data = await post<{ createFold: { id: string } }>(direct, token, {
        query: 'mutation($name: String!) { createFold(input: { name: $name }) { id } }',
        variables: { name: `fold ${i}` },
      });
      folds.push(data.createFold.id);
    }

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    cleanups.push(() => client.end());

    // 4. batch create
    const loaded = await loadMemories(client, direct, token, total, folds);
    const ids = loaded.ids;

    // 1. create, 2. read, 3. search by text, direct and through the router
    const { create, read, searchDirect, searchRouter } = await measureLatencies(
      direct,
      supergraph.url,
      token,
      folds,
      ids,
    );

    // 5. recall@10: the API's HNSW search against an exact scan
    const recall = await measureRecall(client, direct, token, userId);

    // 6. statements per request with 50 `similar` fields, and EXPLAIN of the API's statements
    const counted = await countStatements({
      databaseUrl: database.url,
      securityUrl: supergraph.subgraphUrls.security,
      token,
      memoryId: ids[0]!,
      vector: recall.vectors[0],
      client,
      onCleanup: (step) => cleanups.push(step),
    });
    const updates = await client.query<{ upd: string; hot: string }>(
      `SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname = 'memories'`,
    );

    printReport({
      began,
      memories: ids.length,
      create,
      read,
      searchDirect,
      searchRouter,
      loaded,
      recall,
      counted,
      updates: updates.rows[0]!,
    });
  } finally {
    await cleanUp();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
