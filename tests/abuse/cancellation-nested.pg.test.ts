// The nested `similar` query on a PostgreSQL server: once the router has answered
// SUBGRAPH_TIMEOUT, the memory subgraph cancels its statement, stops the work, stays within a
// heap of 256 MB and keeps answering.
import { createTestDatabase } from '@supergraph/kit/testing';
import { describeNestedSimilar } from './nested-similar.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describeNestedSimilar('PostgreSQL', async () => {
  const database = await createTestDatabase(SERVER_URL, 'abuse_nested');
  return { heapMb: 256, databaseUrl: database.url, cleanUp: () => database.drop() };
});
