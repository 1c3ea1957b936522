// The nested `similar` query on a PostgreSQL server: refused (by the memory subgraph's search
// row budget, or by the router's timeout, after which the subgraph cancels its statement and
// stops the work), while the subgraph stays within a heap of 256 MB and keeps answering.
import { createTestDatabase } from '@supergraph/kit/testing';
import { describeNestedSimilar } from './nested-similar.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describeNestedSimilar('PostgreSQL', async () => {
  const database = await createTestDatabase(SERVER_URL, 'abuse_nested');
  return {
    heapMb: 256,
    databaseUrl: database.url,
    cleanUp: () => database.drop(),
    // PostgreSQL answers a level's searches fast: their rows, held whole, would fill the heap
    // before the router gives up, so the subgraph's search row budget (at its default) must
    // refuse the next level first; on a slow machine the router's timeout may come first.
    codes: ['QUERY_TOO_COMPLEX', 'SUBGRAPH_TIMEOUT'],
  };
});
