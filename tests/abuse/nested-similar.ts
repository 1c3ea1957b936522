// The nested `similar` query of issue 8 (a member with 500 memories, five levels of
// `similar(topK: 1000)`), sent through the router to a memory subgraph that runs as its own
// process (its real main.ts) with a small V8 heap. Before the work stopped with its caller,
// the subgraph went on after the router's SUBGRAPH_TIMEOUT until its heap was full, and died.
import { errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import { freePort, startChildService, type ChildService } from '../child-service.js';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';

const MEMORIES = 500;
const BATCH = 100;
const LEVELS = 5;
const ROUTER_TIMEOUT_MS = 1_000;
/** Operation limits refuse this query before any subgraph is called (operation-limits.test.ts);
 * what is tested here is what happens when such a query gets through, so they are raised past
 * it here, in the router and in the memory subgraph alike. */
export const LIMITS_OFF: Record<string, string> = {
  LIMIT_MAX_DEPTH: '100',
  LIMIT_MAX_COST: '1e30', // the query's estimate is some 3e18
  // Seeding sends its memories a batch at a time, as one member.
  RATE_LIMIT_POINTS: '100000',
};
/** A hang guard: seeding, a PGlite statement of some seconds, the subgraph's recovery. */
export const NESTED_TEST_TIMEOUT_MS = 240_000;
/** A hang guard for each wait: the subgraph's start, one long PGlite statement. */
const WAIT_MS = 120_000;

export function nestedQuery(levels = LEVELS): string {
  let selection = 'memory { id }';
  for (let level = 0; level < levels; level += 1) {
    selection = `memory { id similar(topK: 1000) { score ${selection} } }`;
  }
  return `{ searchMemories(input: { text: "topic", topK: 1000 }) { score ${selection} } }`;
}

/** GraphQL requests a service has finished (answered, or found their caller gone). */
async function requestsFinished(serviceUrl: string): Promise<number> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('graphql_requests_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

export interface NestedSetup {
  /** The memory subgraph's V8 heap (--max-old-space-size). */
  heapMb: number;
  /** Its database; embedded PGlite when absent. */
  databaseUrl?: string;
  /** More settings of the memory subgraph. */
  memoryEnv?: Record<string, string>;
  /** The codes the nested query may be refused with (each of its errors has one of them). */
  codes: readonly string[];
  /** Run after the suite (e.g. dropping the database). */
  cleanUp?: () => Promise<void>;
}

/** The router and the other subgraphs in process, the memory subgraph in a child process with
 * 500 memories of one member; `run` sends the nested query and checks the outcome. */
export async function startNestedSetup({ heapMb, databaseUrl, memoryEnv = {} }: NestedSetup) {
  const port = await freePort();
  const memoryUrl = `http://127.0.0.1:${port}`;
  const supergraph: Supergraph = await startSupergraph({
    routeOverrides: { memory: `${memoryUrl}/graphql` },
    env: { BREAKER_TIMEOUT_MS: String(ROUTER_TIMEOUT_MS), ...LIMITS_OFF },
  });
  let memory: ChildService;
  try {
    memory = await startChildService(
      'memory',
      port,
      {
        DATA_DIR: 'memory://',
        ...(databaseUrl ? { MEMORY_DATABASE_URL: databaseUrl } : {}),
        ...memoryEnv,
        SECURITY_JWKS_URL: supergraph.subgraphUrls.security.replace(
          '/graphql',
          '/.well-known/jwks.json',
        ),
        ...LIMITS_OFF,
      },
      { nodeArgs: [`--max-old-space-size=${heapMb}`], readyMs: WAIT_MS },
    );
  } catch (error) {
    await supergraph.close();
    throw error;
  }
  const alive = () => memory.alive();
  const close = async () => {
    await memory.stop();
    await supergraph.close();
  };

  try {
    const { token } = await signUp(supergraph.url, 'nested@example.com');
    for (let start = 0; start < MEMORIES; start += BATCH) {
      const inputs = Array.from({ length: BATCH }, (_, i) => ({
        content: `memory ${start + i} on topic ${(start + i) % 17} and theme ${(start + i) % 5}`,
      }));
      const created = await graphql(supergraph.url, {
        query:
          'mutation($inputs: [CreateMemoryInput!]!) { createMemories(inputs: $inputs) { id } }',
        variables: { inputs },
        token,
      });
      if (created.errors) throw new Error(`seeding failed: ${JSON.stringify(created.errors)}`);
    }
    return {
      close,
      /** The nested query through the router, then what the subgraph did after it. */
      async run() {
        const before = await requestsFinished(memoryUrl);
        const nested = await graphql(supergraph.url, { query: nestedQuery(), token });
        // The subgraph may still be inside one database statement (on PGlite nothing
        // interrupts one); then it notices the router has gone, ends the request and drops the
        // rest of the work, which carried out would never end within its heap.
        await waitFor(
          async () => !alive() || (await requestsFinished(memoryUrl)) > before,
          'the memory subgraph to end the request',
          WAIT_MS,
        );
        const health = alive() ? (await fetch(`${memoryUrl}/health`)).status : undefined;
        // It answers again: a small search through the router, asked until it succeeds. The
        // router gives each try its 1 s timeout, and a subgraph that has just dropped a large
        // piece of work (its garbage collected in a small heap, a statement cancelled on the
        // server) can take longer than that for the first one on a loaded machine.
        let smallAnswered = 0;
        await waitFor(
          async () => {
            const small = await graphql(supergraph.url, {
              query:
                '{ searchMemories(input: { text: "topic 3", topK: 3 }) { memory { content } } }',
              token,
            });
            smallAnswered = (small.data?.['searchMemories'] as unknown[] | undefined)?.length ?? 0;
            return smallAnswered > 0 || !alive();
          },
          'the memory subgraph to answer a small search',
          WAIT_MS,
        );
        return {
          nestedCodes: errorCodes(nested),
          health,
          smallAnswered,
          subgraph: { alive: alive(), output: memory.output() },
        };
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The suite both databases run: the nested query is refused with one of the codes, and
 * the memory subgraph stops, stays within its heap and answers. */
export function describeNestedSimilar(database: string, options: () => Promise<NestedSetup>) {
  describe(`the nested similar query, on ${database}`, () => {
    let setup: Awaited<ReturnType<typeof startNestedSetup>> | undefined;
    let codes: readonly string[] = [];
    let cleanUp: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const { cleanUp: after, ...setupOptions } = await options();
      cleanUp = after;
      codes = setupOptions.codes;
      setup = await startNestedSetup(setupOptions);
    }, NESTED_TEST_TIMEOUT_MS);
    afterAll(async () => {
      await setup?.close();
      await cleanUp?.();
    });

    it(
      'is refused, and the memory subgraph stops, stays in its heap and answers',
      async () => {
        const { nestedCodes, ...after } = await setup!.run();
        expect(nestedCodes.length).toBeGreaterThan(0);
        expect(nestedCodes.filter((code) => !codes.includes(String(code)))).toEqual([]);
        expect(after).toEqual({
          health: 200,
          smallAnswered: 3,
          subgraph: { alive: true, output: '' },
        });
      },
      NESTED_TEST_TIMEOUT_MS,
    );
  });
}
