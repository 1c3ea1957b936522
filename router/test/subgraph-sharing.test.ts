// Identical subgraph queries in flight share one request (same subgraph, body and identity),
// as Apollo Router and Hive Gateway do; mutations never do, and a caller that goes away
// leaves the request to the others.
import { errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import type { Router } from '../src/router.js';
import { routerFor, startFakeSubgraph } from './fake-subgraph.js';

describe('sharing identical subgraph requests in flight', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(env: Record<string, string> = {}) {
    const subgraph = await startFakeSubgraph([], { hold: true });
    cleanups.push(subgraph.close);
    // A timeout far beyond the test's patience: only the test ends a held request.
    const { router, url, issuer } = await routerFor(subgraph.url, {
      BREAKER_TIMEOUT_MS: '600000',
      ...env,
    });
    cleanups.push(() => router.close());
    return { subgraph, url, issuer, router };
  }

  const post = (url: string, query: string, token?: string, signal?: AbortSignal) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query }),
      signal,
    });

  it('sends one request for identical queries of one identity, and answers each', async () => {
    const { subgraph, url, router } = await setup();
    const answers = Array.from({ length: 5 }, () => graphql(url, { query: '{ greeting }' }));
    // All five have reached the data source: four joined the first one's request, which the
    // subgraph holds.
    await waitFor(async () => (await shared(router)) === 4, 'four callers to join');
    await waitFor(() => subgraph.attempts.length === 1, 'the subgraph request');
    subgraph.release();
    for (const answer of await Promise.all(answers)) {
      expect([answer.data, answer.errors]).toEqual([{ greeting: 'hello' }, undefined]);
    }
    expect(subgraph.attempts).toHaveLength(1);
  });

  it('keeps identities apart', async () => {
    const { subgraph, url, issuer, router } = await setup();
    const [alice, bob] = await Promise.all([
      issuer.token('alice', ['memory:read']),
      issuer.token('bob', ['memory:read']),
    ]);
    const answers = [alice, bob, alice].map((token) =>
      graphql(url, { query: '{ greeting }', token }),
    );
    await waitFor(() => subgraph.attempts.length === 2, 'one subgraph request per identity');
    await waitFor(async () => (await shared(router)) === 1, "alice's second query to join");
    subgraph.release();
    for (const answer of await Promise.all(answers))
      expect(answer.data).toEqual({ greeting: 'hello' });
    expect(subgraph.attempts).toHaveLength(2);
  });

  it('never shares mutations', async () => {
    const { subgraph, url } = await setup();
    const answers = Array.from({ length: 3 }, () => graphql(url, { query: 'mutation { greet }' }));
    await waitFor(() => subgraph.attempts.length === 3, 'a subgraph request per mutation');
    subgraph.release();
    for (const answer of await Promise.all(answers))
      expect(answer.data).toEqual({ greet: 'hello' });
  });

  it('does not share when turned off', async () => {
    const { subgraph, url } = await setup({ SUBGRAPH_SHARE_IN_FLIGHT: 'false' });
    const answers = Array.from({ length: 3 }, () => graphql(url, { query: '{ greeting }' }));
    await waitFor(() => subgraph.attempts.length === 3, 'a subgraph request per query');
    subgraph.release();
    await Promise.all(answers);
  });

  it('goes on for the callers that stay when one leaves, and stops when all have left', async () => {
    const { subgraph, url, router } = await setup();
    const leaving = new AbortController();
    const gone = post(url, '{ greeting }', undefined, leaving.signal).catch(() => 'gone');
    await waitFor(() => subgraph.attempts.length === 1, 'the subgraph request');
    const staying = graphql(url, { query: '{ greeting }' });
    // The second caller joins the request in flight rather than sending its own.
    await waitFor(async () => (await shared(router)) === 1, 'the second caller to join');
    leaving.abort();
    expect(await gone).toBe('gone');
    expect(subgraph.attempts[0]!.abandoned).toBe(false);
    subgraph.release();
    const answer = await staying;
    expect([answer.data, answer.errors]).toEqual([{ greeting: 'hello' }, undefined]);

    const last = new AbortController();
    const alone = post(url, '{ greeting }', undefined, last.signal).catch(() => 'gone');
    await waitFor(() => subgraph.attempts.length === 2, 'the next subgraph request');
    last.abort();
    expect(await alone).toBe('gone');
    await waitFor(() => subgraph.attempts[1]!.abandoned, 'the request without callers to stop');
    expect(errorCodes(await graphql(url, { query: '{ __typename }' }))).toEqual([]);
  });

  /** Queries that joined a request in flight, from the router's metrics. */
  async function shared(router: Router): Promise<number> {
    const metric = router.metrics.registry.getSingleMetric('router_subgraph_fetches_shared_total');
    const { values } = await metric!.get();
    return values.reduce((sum, { value }) => sum + value, 0);
  }
});
