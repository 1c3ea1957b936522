// The nested `similar` query on the memory subgraph's default database, embedded PGlite: once
// the router has answered SUBGRAPH_TIMEOUT, the subgraph stops the work, stays within a heap
// of 512 MB and keeps answering. (PGlite materialises a statement's whole result in the JS
// heap and nothing interrupts a statement: the first batch of 500 `similar` searches alone
// takes some 350 MB here, so the heap cannot be smaller; after that statement, nothing more
// of the query runs.)
import { NESTED_TEST_TIMEOUT_MS, startNestedSetup } from './nested-similar.js';

const HEAP_MB = 512;

describe('the nested similar query, on PGlite', () => {
  let setup: Awaited<ReturnType<typeof startNestedSetup>>;
  beforeAll(async () => {
    setup = await startNestedSetup({ heapMb: HEAP_MB });
  }, NESTED_TEST_TIMEOUT_MS);
  afterAll(() => setup?.close());

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
