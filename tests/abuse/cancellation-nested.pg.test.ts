// The nested `similar` query on a PostgreSQL server: once the router has answered
// SUBGRAPH_TIMEOUT, the memory subgraph cancels its statement, stops the work, stays within a
// heap of 256 MB and keeps answering.
import { createTestDatabase } from '@supergraph/kit/testing';
import { NESTED_TEST_TIMEOUT_MS, startNestedSetup } from './nested-similar.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const HEAP_MB = 256;

describe('the nested similar query, on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let setup: Awaited<ReturnType<typeof startNestedSetup>>;
  beforeAll(async () => {
    database = await createTestDatabase(SERVER_URL, 'abuse_nested');
    setup = await startNestedSetup({ heapMb: HEAP_MB, databaseUrl: database.url });
  }, NESTED_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await setup?.close();
    await database?.drop();
  });

  it(
    'times out at the router, and the memory subgraph stops, stays in its heap and answers',
    async () => {
      expect(await setup.run()).toEqual({
        nestedCodes: ['SUBGRAPH_TIMEOUT'],
        health: 200,
        smallAnswered: 3,
        subgraph: { alive: true, output: '' },
      });
    },
    NESTED_TEST_TIMEOUT_MS,
  );
});
