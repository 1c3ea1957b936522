// The nested `similar` query on the memory subgraph's default database, embedded PGlite: once
// the router has answered SUBGRAPH_TIMEOUT, the subgraph stops the work, stays within a heap
// of 512 MB and keeps answering. (PGlite materialises a statement's whole result in the JS
// heap and nothing interrupts a statement: the first batch of 500 `similar` searches alone
// takes some 350 MB here, so the heap cannot be smaller; after that statement, nothing more
// of the query runs.)
import { describeNestedSimilar } from './nested-similar.js';

describeNestedSimilar('PGlite', async () => ({
  heapMb: 512,
  // The subgraph's search row budget would refuse the second level before it runs; raised
  // past the query, it is the router's timeout that this tests.
  memoryEnv: { MEMORY_MAX_SEARCH_ROWS: '10000000' },
  codes: ['SUBGRAPH_TIMEOUT'],
}));
