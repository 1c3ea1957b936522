// A subgraph request ends when its caller stops: the router's timeout or a client that goes
// away aborts it, which the subgraph sees as a closed request (and stops its work for).
import { errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import { routerFor, startFakeSubgraph } from './fake-subgraph.js';

describe('the router aborts a subgraph request', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(env: Record<string, string>) {
    const subgraph = await startFakeSubgraph([], { hold: true });
    cleanups.push(subgraph.close);
    const { router, url } = await routerFor(subgraph.url, env);
    cleanups.push(() => router.close());
    return { subgraph, url };
  }

  it('when its client goes away', async () => {
    // A timeout far beyond the test's patience: only the client can end the request.
    const { subgraph, url } = await setup({ BREAKER_TIMEOUT_MS: '600000' });
    const client = new AbortController();
    const sent = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ greeting }' }),
      signal: client.signal,
    }).catch(() => 'gone');
    await waitFor(() => subgraph.attempts.length === 1, 'the subgraph request');
    client.abort();
    expect(await sent).toBe('gone');
    await waitFor(() => subgraph.attempts[0]!.abandoned, 'the subgraph request to be aborted');
  });

  it('when its timeout passes, answering SUBGRAPH_TIMEOUT', async () => {
    const { subgraph, url } = await setup({ BREAKER_TIMEOUT_MS: '200' });
    const result = await graphql(url, { query: '{ greeting }' });
    expect(errorCodes(result)).toEqual(['SUBGRAPH_TIMEOUT']);
    await waitFor(() => subgraph.attempts[0]!.abandoned, 'the subgraph request to be aborted');
    expect(subgraph.attempts).toHaveLength(1); // a timed-out fetch is not tried again
  });
});
