// Inbound deduplication: identical queries of one identity in flight at once share one
// execution, and so one subgraph request; anything that could change the answer keeps them
// apart, and callers that go away stop the work only when they all have.
import { graphql, waitFor, type GraphQLCall } from '@supergraph/kit/testing';
import { routerFor, startFakeSubgraph } from './fake-subgraph.js';

const N = 5;
const GREETING = { data: { greeting: 'hello' } };
const NAMED = 'query Greeting($name: String) { greeting(name: $name) }';

describe('inbound deduplication', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A router in front of a subgraph that holds every request until released. */
  async function setup(env: Record<string, string> = { ROUTER_DEDUPLICATE_INBOUND: 'true' }) {
    const subgraph = await startFakeSubgraph([], { hold: true });
    cleanups.push(subgraph.close);
    // A timeout far beyond the test's patience: only the test releases the subgraph. Shared
    // subgraph requests off, so that what is counted is the operations' own sharing.
    const { router, url, issuer } = await routerFor(subgraph.url, {
      BREAKER_TIMEOUT_MS: '600000',
      SUBGRAPH_SHARE_IN_FLIGHT: 'false',
      ...env,
    });
    cleanups.push(() => router.close());
    const deduplicated = async () => {
      const metric = router.metrics.registry.getSingleMetric('router_inbound_deduplicated_total');
      return metric ? ((await metric.get()).values[0]?.value ?? 0) : 0;
    };
    return { subgraph, router, url, issuer, deduplicated };
  }

  const answers = (url: string, calls: GraphQLCall[]) =>
    calls.map((call) => graphql(url, call).then(({ data, errors }) => ({ data, errors })));

  it('sends N identical queries of one identity to the subgraph once, and answers all N', async () => {
    const { subgraph, url, issuer, deduplicated } = await setup();
    const token = await issuer.token('ada', ['read']);
    const pending = answers(url, Array(N).fill({ query: '{ greeting }', token }));
    await waitFor(async () => (await deduplicated()) === N - 1, 'the followers to join');
    // Released only once the subgraph holds the request: under load it can arrive later.
    await waitFor(() => subgraph.attempts.length === 1, 'the subgraph request');
    subgraph.release();
    expect(await Promise.all(pending)).toEqual(Array(N).fill(GREETING));
    expect(subgraph.attempts).toHaveLength(1);
  });

  it('keeps two identities apart', async () => {
    const { subgraph, url, issuer, deduplicated } = await setup();
    const [ada, bob] = await Promise.all([
      issuer.token('ada', ['read']),
      issuer.token('bob', ['read']),
    ]);
    const pending = answers(url, [
      ...Array(N).fill({ query: '{ greeting }', token: ada }),
      ...Array(N).fill({ query: '{ greeting }', token: bob }),
    ]);
    await waitFor(async () => (await deduplicated()) === 2 * (N - 1), 'the followers to join');
    await waitFor(() => subgraph.attempts.length === 2, 'both subgraph requests');
    subgraph.release();
    expect(await Promise.all(pending)).toEqual(Array(2 * N).fill(GREETING));
    expect(subgraph.attempts).toHaveLength(2);
  });

  it('keeps one user with other scopes apart', async () => {
    const { subgraph, url, issuer, router } = await setup();
    const [reader, admin] = await Promise.all([
      issuer.token('ada', ['read']),
      issuer.token('ada', ['read', 'admin']),
    ]);
    const pending = answers(url, [
      { query: '{ greeting }', token: reader },
      { query: '{ greeting }', token: admin },
    ]);
    await waitFor(() => subgraph.attempts.length === 2, 'both subgraph requests');
    expect(router.inboundDedup?.()).toEqual({ executions: 2, callers: 2 });
    subgraph.release();
    expect(await Promise.all(pending)).toEqual([GREETING, GREETING]);
  });

  it('keeps different variables apart and shares the same ones', async () => {
    const { subgraph, url, deduplicated } = await setup();
    const pending = answers(url, [
      { query: NAMED, variables: { name: 'ada' } },
      { query: NAMED, variables: { name: 'ada' } },
      { query: NAMED, variables: { name: 'bob' } },
    ]);
    await waitFor(
      async () => subgraph.attempts.length === 2 && (await deduplicated()) === 1,
      'two subgraph requests and one follower',
    );
    subgraph.release();
    expect(await Promise.all(pending)).toEqual(Array(3).fill(GREETING));
    expect(subgraph.attempts).toHaveLength(2);
  });

  it('never shares a mutation', async () => {
    const { subgraph, url, deduplicated } = await setup();
    const pending = answers(url, Array(N).fill({ query: 'mutation { greet }' }));
    await waitFor(() => subgraph.attempts.length === N, 'a subgraph request per mutation');
    subgraph.release();
    expect(await Promise.all(pending)).toEqual(Array(N).fill({ data: { greet: 'hello' } }));
    expect(await deduplicated()).toBe(0);
  });

  it('is off by default: N queries, N subgraph requests', async () => {
    const { subgraph, url, router } = await setup({});
    const pending = answers(url, Array(N).fill({ query: '{ greeting }' }));
    await waitFor(() => subgraph.attempts.length === N, 'a subgraph request per query');
    subgraph.release();
    expect(await Promise.all(pending)).toEqual(Array(N).fill(GREETING));
    expect(router.inboundDedup).toBeUndefined();
    expect(router.metrics.registry.getSingleMetric('router_inbound_deduplicated_total')).toBe(
      undefined,
    );
  });

  it('answers the followers when the leader’s client goes away', async () => {
    const { subgraph, url, router, deduplicated } = await setup();
    const leaderClient = new AbortController();
    const leader = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ greeting }' }),
      signal: leaderClient.signal,
    }).catch(() => 'gone');
    await waitFor(() => subgraph.attempts.length === 1, 'the leader’s subgraph request');
    const follower = answers(url, [{ query: '{ greeting }' }])[0]!;
    await waitFor(async () => (await deduplicated()) === 1, 'the follower to join');
    leaderClient.abort();
    expect(await leader).toBe('gone');
    await waitFor(() => router.inboundDedup?.().callers === 1, 'the router to see the leader go');
    await waitFor(() => subgraph.attempts.length === 1, 'the subgraph request');
    subgraph.release();
    expect(await follower).toEqual(GREETING);
    expect(subgraph.attempts).toEqual([expect.objectContaining({ abandoned: false })]);
  });

  it('keeps working for the others when a follower’s client goes away', async () => {
    const { subgraph, url, router, deduplicated } = await setup();
    const leader = answers(url, [{ query: '{ greeting }' }])[0]!;
    await waitFor(() => subgraph.attempts.length === 1, 'the leader’s subgraph request');
    const followerClient = new AbortController();
    const follower = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ greeting }' }),
      signal: followerClient.signal,
    }).catch(() => 'gone');
    const other = answers(url, [{ query: '{ greeting }' }])[0]!;
    await waitFor(async () => (await deduplicated()) === 2, 'both followers to join');
    followerClient.abort();
    expect(await follower).toBe('gone');
    await waitFor(() => router.inboundDedup?.().callers === 2, 'the router to see it go');
    await waitFor(() => subgraph.attempts.length === 1, 'the subgraph request');
    subgraph.release();
    expect(await Promise.all([leader, other])).toEqual([GREETING, GREETING]);
    expect(subgraph.attempts).toEqual([expect.objectContaining({ abandoned: false })]);
  });

  it('stops the subgraph request once every caller has gone', async () => {
    const { subgraph, url, deduplicated } = await setup();
    const clients = [new AbortController(), new AbortController()];
    const sent = clients.map((client) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ greeting }' }),
        signal: client.signal,
      }).catch(() => 'gone'),
    );
    await waitFor(
      async () => subgraph.attempts.length === 1 && (await deduplicated()) === 1,
      'one subgraph request and one follower',
    );
    for (const client of clients) client.abort();
    expect(await Promise.all(sent)).toEqual(['gone', 'gone']);
    await waitFor(() => subgraph.attempts[0]!.abandoned, 'the subgraph request to be aborted');
  });
});
