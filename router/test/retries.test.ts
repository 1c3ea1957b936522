// The router tries failed query fetches again: only queries, only failures of the subgraph
// (no connection, 5xx), within the retry budget, never past an open breaker, never for a
// client that has gone. Attempts are counted at a fake subgraph, never timed.
import { errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import type { Router } from '../src/router.js';
import { routerFor, startFakeSubgraph, type Step } from './fake-subgraph.js';

const QUERY = '{ greeting }';
const MUTATION = 'mutation { greet }';
/** Fast backoff, and a breaker that stays out of the way unless a test wants it. */
const ENV = {
  SUBGRAPH_RETRIES: '2',
  SUBGRAPH_RETRY_BASE_MS: '1',
  SUBGRAPH_RETRY_MAX_MS: '5',
  BREAKER_VOLUME_THRESHOLD: '1000',
};

describe('router retries of subgraph fetches', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(script: Step[], then?: Step, env: Record<string, string> = {}) {
    const subgraph = await startFakeSubgraph(script, then);
    cleanups.push(subgraph.close);
    const { router, url } = await routerFor(subgraph.url, { ...ENV, ...env });
    cleanups.push(() => router.close());
    return { subgraph, router, url };
  }

  it('answers a query whose subgraph failed twice with 503 and then answered', async () => {
    const { subgraph, url } = await setup([{ status: 503 }, { status: 503 }]);
    const result = await graphql(url, { query: QUERY });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ greeting: 'hello' });
    expect(subgraph.attempts).toHaveLength(3);
  });

  it('tries again after a dropped connection', async () => {
    const { subgraph, url } = await setup([{ drop: true }]);
    const result = await graphql(url, { query: QUERY });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ greeting: 'hello' });
    expect(subgraph.attempts).toHaveLength(2);
  });

  it('gives up after SUBGRAPH_RETRIES with the last failure', async () => {
    const { subgraph, url } = await setup([], { status: 502 });
    const result = await graphql(url, { query: QUERY });
    expect(errorCodes(result)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(subgraph.attempts).toHaveLength(3);
  });

  it('sends a mutation once', async () => {
    const { subgraph, url } = await setup([{ status: 503 }]);
    const result = await graphql(url, { query: MUTATION });
    expect(errorCodes(result)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(subgraph.attempts).toHaveLength(1);
  });

  it('does not retry a 4xx, nor GraphQL errors in a 200 answer', async () => {
    const { subgraph, url } = await setup([
      { status: 400 },
      { status: 200, body: { data: { greeting: null }, errors: [{ message: 'no' }] } },
    ]);
    await graphql(url, { query: QUERY });
    expect(subgraph.attempts).toHaveLength(1);
    const answered = await graphql(url, { query: QUERY });
    expect(answered.errors?.[0]?.message).toBe('no');
    expect(subgraph.attempts).toHaveLength(2);
  });

  it('does not retry once the retry budget is used up', async () => {
    // No share of the requests, a floor of one retry in the window.
    const { subgraph, url } = await setup(
      [],
      { status: 503 },
      {
        SUBGRAPH_RETRY_BUDGET_PERCENT: '0',
        SUBGRAPH_RETRY_BUDGET_MIN: '1',
      },
    );
    await graphql(url, { query: QUERY });
    expect(subgraph.attempts).toHaveLength(2); // the one retry of the budget
    await graphql(url, { query: QUERY });
    expect(subgraph.attempts).toHaveLength(3); // sent once: the budget is used up
  });

  it('does not retry past an open breaker', async () => {
    const { subgraph, url } = await setup(
      [],
      { status: 503 },
      {
        BREAKER_VOLUME_THRESHOLD: '1',
        BREAKER_ERROR_THRESHOLD_PERCENTAGE: '1',
      },
    );
    const first = await graphql(url, { query: QUERY });
    expect(errorCodes(first)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(subgraph.attempts).toHaveLength(1); // the failure opened the breaker
    const second = await graphql(url, { query: QUERY });
    expect(errorCodes(second)).toEqual(['SUBGRAPH_CIRCUIT_OPEN']);
    expect(subgraph.attempts).toHaveLength(1);
  });

  it('does not retry for a client that has gone', async () => {
    // The subgraph asks for a wait; the client leaves during it.
    const { subgraph, router, url } = await setup([{ status: 503, retryAfter: '2' }]);
    const client = new AbortController();
    const sent = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
      signal: client.signal,
    }).catch(() => 'gone');
    await waitFor(() => subgraph.attempts.length === 1, 'the first attempt');
    client.abort();
    expect(await sent).toBe('gone');
    await waitFor(async () => (await requestsAnswered(router)) === 1, 'the router to finish');
    expect(subgraph.attempts).toHaveLength(1);
  });
});

/** Requests the router has finished with (answered, or found their client gone). */
async function requestsAnswered(router: Router): Promise<number> {
  const { values } = await router.metrics.requests.get();
  return values.reduce((sum, { value }) => sum + value, 0);
}
