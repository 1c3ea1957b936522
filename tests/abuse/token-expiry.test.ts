// A stream does not outlive its token: a subscription opened with a token that then expires
// ends with UNAUTHENTICATED (over graphql-ws at the router, and over SSE at a subgraph reached
// directly), and the work behind it ends too.
import { graphql, waitFor } from '@supergraph/kit/testing';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import { subscribeSse, subscribeWs, untilOpenSubscriptions, wsClient } from '../realtime.js';

/** The shortest lifetime the security subgraph issues; a token is refused 5 s (the clock
 * tolerance) after it. */
const TTL_SECONDS = 5;
const EXPIRY_WAIT_MS = 60_000;

let supergraph: Supergraph;
beforeAll(async () => {
  supergraph = await startSupergraph({ env: { TOKEN_TTL_SECONDS: String(TTL_SECONDS) } });
});
afterAll(() => supergraph.close());

const memoryEvents = { query: 'subscription { memoryEvents { type memory { content } } }' };

const lastCode = (results: { errors?: readonly { extensions?: Record<string, unknown> }[] }[]) =>
  results.at(-1)?.errors?.[0]?.extensions?.['code'];

it('ends a graphql-ws subscription at the router when its token expires', async () => {
  const { token } = await signUp(supergraph.url);
  const client = wsClient(supergraph.url, token);
  try {
    const events = subscribeWs(client, memoryEvents);
    await untilOpenSubscriptions(supergraph.services.memory, 1);
    await graphql(supergraph.url, {
      query: 'mutation { createMemory(input: { content: "before expiry" }) { id } }',
      token,
    });
    const [first] = await events.received(1);
    expect(first!.data).toEqual({
      memoryEvents: { type: 'CREATED', memory: { content: 'before expiry' } },
    });

    await events.done; // the server completes it
    expect(lastCode(events.results)).toBe('UNAUTHENTICATED');
    expect(events.results.at(-1)!.errors![0]!.message).toMatch(/expired/);
    // The upstream subscription at the memory subgraph ended with it.
    await untilOpenSubscriptions(supergraph.services.memory, 0, EXPIRY_WAIT_MS);
  } finally {
    await client.dispose();
  }
}, 120_000);

it('ends an SSE subscription at a subgraph reached directly', async () => {
  const { token } = await signUp(supergraph.url);
  const events = subscribeSse(supergraph.subgraphUrls.memory, token, memoryEvents);
  try {
    await waitFor(
      async () => lastCode(events.results) === 'UNAUTHENTICATED',
      'the expiry error',
      EXPIRY_WAIT_MS,
    );
    await events.done;
    expect(events.results).toHaveLength(1);
  } finally {
    events.dispose();
  }
}, 120_000);

it('tells the caller of an expired token when it expired and how to get a new one', async () => {
  const { token } = await signUp(supergraph.url);
  let result: Awaited<ReturnType<typeof graphql>> | undefined;
  await waitFor(
    async () => {
      result = await graphql(supergraph.url, { query: '{ me { id } }', token });
      return result.errors !== undefined;
    },
    'the token to be refused',
    EXPIRY_WAIT_MS,
  );
  const [error] = result!.errors!;
  expect(error!.extensions?.['code']).toBe('UNAUTHENTICATED');
  expect(error!.message).toMatch(
    /^The bearer token expired at \d{4}-\d\d-\d\dT[\d:.]+Z; sign in again \(GraphiQL's sign-in bar, or the `login` mutation\)/,
  );
}, 120_000);
