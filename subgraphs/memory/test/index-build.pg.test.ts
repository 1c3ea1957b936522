// A vector index built at start over many memories takes longer than the statement timeout of
// requests (DATABASE_STATEMENT_TIMEOUT_MS); the memory subgraph still starts, with the index.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, createTestIssuer, graphql } from '@supergraph/kit/testing';
import pg from 'pg';
import { createMemorySubgraph } from '../src/subgraph.js';
import { testConfig } from './setup.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const MEMORIES = 2_000;
const BATCH = 500;
/** Far shorter than an HNSW build over 2,000 vectors, far longer than a request's statements. */
const STATEMENT_TIMEOUT_MS = '200';

describe('the vector index built at start, on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(SERVER_URL, 'memory_index');
  });
  afterAll(() => database.drop());

  it('is built past the statement timeout of requests', async () => {
    const issuer = await createTestIssuer();
    const env = { MEMORY_DATABASE_URL: database.url, MEMORY_PURGE_INTERVAL_MS: '3600000' };
    const first = await createMemorySubgraph(testConfig(env), { verifier: issuer.verifier });
    try {
      const token = await issuer.token(randomUUID(), ['memory:read', 'memory:write']);
      for (let start = 0; start < MEMORIES; start += BATCH) {
        const inputs = Array.from({ length: BATCH }, (_, i) => ({
          content: `memory ${start + i} about topic ${(start + i) % 31}`,
        }));
        const created = await graphql(first.yoga, {
          query:
            'mutation($inputs: [CreateMemoryInput!]!) { createMemories(inputs: $inputs) { id } }',
          variables: { inputs },
          token,
        });
        expect(created.errors).toBeUndefined();
      }
    } finally {
      await first.close();
    }

    // A second metric needs a new index over the 2,000 memories, built at the next start.
    const second = await createMemorySubgraph(
      testConfig({
        ...env,
        MEMORY_INDEXED_METRICS: 'COSINE,L2',
        DATABASE_STATEMENT_TIMEOUT_MS: STATEMENT_TIMEOUT_MS,
      }),
      { verifier: issuer.verifier },
    );
    await second.close();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ name: string }>(
        "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'memories' AND indexname LIKE '%_l2_%'",
      );
      expect(rows.map(({ name }) => name)).toEqual(['memories_embedding_hnsw_l2_64']);
    } finally {
      await admin.end();
    }
  }, 180_000);
});
