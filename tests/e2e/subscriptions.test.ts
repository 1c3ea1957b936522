// Subscriptions through the router with real graphql-ws and SSE clients: fields of other
// subgraphs fetched for each event, identity carried to the owning subgraph, and the
// lifecycle (unsubscribe and disconnect reach the subgraph, limits, keep-alive).
import { errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import {
  openSubscriptions,
  rawSocket,
  subscribeSse,
  subscribeWs,
  wsClient,
  untilOpenSubscriptions,
  type Received,
} from '../realtime.js';

const CREATE = 'mutation($content: String!) { createMemory(input: { content: $content }) { id } }';

const WATCH = `
  subscription Watch($foldId: ID) {
    change: memoryEvents(foldId: $foldId) { ...Change }
  }
  fragment Change on MemoryEvent {
    kind: type
    memoryId
    memory { content author: createdBy { email } }
  }`;

describe('subscriptions through the router', () => {
  let supergraph: Supergraph;
  const clients: Client[] = [];
  const client = (token?: string) => {
    const created = wsClient(supergraph.url, token);
    clients.push(created);
    return created;
  };
  /** Waits until the memory subgraph holds n subscriptions: they are live end to end. */
  const memorySubscriptions = (n: number) => untilOpenSubscriptions(supergraph.services.memory, n);

  beforeAll(async () => {
    supergraph = await startSupergraph({
      env: {
        WS_MAX_SUBSCRIPTIONS: '3',
        // Short, but long enough that a busy event loop (clients and services share it here)
        // does not miss a pong and drop a socket.
        WS_CONNECTION_INIT_TIMEOUT_MS: '1000',
        WS_KEEPALIVE_MS: '1000',
      },
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((one) => one.dispose()));
    await memorySubscriptions(0);
  });
  afterAll(() => supergraph.close());

  it('streams events with fields of another subgraph, over graphql-ws and SSE', async () => {
    const { token, email } = await signUp(supergraph.url);
    const ws = subscribeWs(client(token), { query: WATCH, operationName: 'Watch' });
    const sse = subscribeSse(supergraph.url, token, { query: WATCH, variables: { foldId: null } });
    await memorySubscriptions(2);

    const created = await graphql(supergraph.url, {
      query: CREATE,
      variables: { content: 'seen live' },
      token,
    });
    const id = created.data!.createMemory.id;
    const expected = {
      data: {
        change: {
          kind: 'CREATED',
          memoryId: id,
          memory: { content: 'seen live', author: { email } },
        },
      },
    };
    expect((await ws.received(1))[0]).toEqual(expected);
    expect((await sse.received(1))[0]).toEqual(expected);
    sse.dispose();
  });

  it('streams completion events with the user who asked, resolved by the security subgraph', async () => {
    const { token, email } = await signUp(supergraph.url);
    const events = subscribeWs(client(token), {
      query:
        'subscription { completionEvents { status streamed endedAt usage { totalTokens } user { email } } }',
    });
    await untilOpenSubscriptions(supergraph.services.provider, 1);
    const before = Date.now();
    const done = await graphql(supergraph.url, {
      query:
        'mutation { complete(input: { messages: [{ role: USER, content: "Hi there" }] }) { id } }',
      token,
    });
    expect(done.errors).toBeUndefined();
    const [event] = await events.received(1);
    expect(event!.errors).toBeUndefined();
    expect(event!.data!.completionEvents).toMatchObject({
      status: 'OK',
      streamed: false,
      user: { email },
    });
    expect(Date.parse(event!.data!.completionEvents.endedAt)).toBeGreaterThanOrEqual(before - 1000);
    events.unsubscribe();
    await untilOpenSubscriptions(supergraph.services.provider, 0);
  });

  it("never delivers another user's events", async () => {
    const owner = await signUp(supergraph.url);
    const stranger = await signUp(supergraph.url);
    const mine = subscribeWs(client(owner.token), { query: WATCH });
    const theirs = subscribeWs(client(stranger.token), { query: WATCH });
    await memorySubscriptions(2);
    await graphql(supergraph.url, {
      query: CREATE,
      variables: { content: 'private' },
      token: owner.token,
    });
    await graphql(supergraph.url, {
      query: CREATE,
      variables: { content: 'public' },
      token: stranger.token,
    });
    const [own] = await mine.received(1);
    const [other] = await theirs.received(1);
    expect(own!.data!.change.memory.content).toBe('private');
    expect(other!.data!.change.memory.content).toBe('public');
    // One more event to each would have arrived by now: each only has its own.
    await graphql(supergraph.url, {
      query: CREATE,
      variables: { content: 'again' },
      token: owner.token,
    });
    await mine.received(2);
    expect(theirs.results).toHaveLength(1);
  });

  it('refuses a bad token at connection_init and unauthenticated subscriptions', async () => {
    const closed: { code: number; reason: string }[] = [];
    const bad = wsClient(supergraph.url, 'not-a-jwt', { onClosed: (event) => closed.push(event) });
    clients.push(bad);
    const refused = subscribeWs(bad, { query: WATCH });
    await expect(refused.done).rejects.toMatchObject({ code: 4401 });
    expect(closed[0]!.reason).toMatch(/^Unauthorized/);

    const anonymous = subscribeWs(client(), { query: WATCH });
    await anonymous.done;
    expect(anonymous.results.flatMap((result) => errorCodes(result))).toEqual(['UNAUTHENTICATED']);

    const overSse = subscribeSse(supergraph.url, undefined, { query: WATCH });
    await overSse.done;
    expect(overSse.results.flatMap((result) => errorCodes(result))).toEqual(['UNAUTHENTICATED']);
    const badSse = await fetch(supergraph.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: 'Bearer not-a-jwt',
      },
      body: JSON.stringify({ query: WATCH }),
    });
    expect(badSse.status).toBe(401);
  });

  it('completes the upstream subscription on unsubscribe and on disconnect', async () => {
    const { token } = await signUp(supergraph.url);
    const first = subscribeWs(client(token), { query: WATCH, variables: { foldId: null } });
    const second = subscribeWs(client(token), { query: WATCH });
    await memorySubscriptions(2);
    // One upstream connection carries both: they share an identity.
    expect(supergraph.router.subscriptions.stats).toMatchObject({
      connections: 1,
      subscriptions: 2,
      subscribers: 2,
    });
    first.unsubscribe();
    await memorySubscriptions(1);
    second.unsubscribe();
    await memorySubscriptions(0);
    await waitFor(
      () => supergraph.router.subscriptions.stats.connections === 0,
      'the upstream connection to close',
    );

    // A client that vanishes without completing: the router's socket closes, and so must the
    // subscription at the subgraph.
    const socket = rawSocket(supergraph.url);
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
    );
    await new Promise((resolve) => socket.once('message', resolve));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: WATCH } }));
    await memorySubscriptions(1);
    socket.terminate();
    await memorySubscriptions(0);
  });

  it('bounds subscriptions per connection, waits a bounded time for init, and pings', async () => {
    const { token } = await signUp(supergraph.url);
    const shared = client(token);
    const open: Received[] = [1, 2, 3].map(() => subscribeWs(shared, { query: WATCH }));
    await waitFor(() => supergraph.router.subscriptions.stats.subscribers === 3, '3 subscribers');
    const fourth = subscribeWs(shared, { query: WATCH });
    await expect(fourth.done).rejects.toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'TOO_MANY_SUBSCRIPTIONS' }),
      }),
    ]);
    expect(open.every((one) => one.results.length === 0)).toBe(true);

    const silent = rawSocket(supergraph.url);
    const code = await new Promise<number>((resolve) => silent.once('close', resolve));
    expect(code).toBe(4408); // connection_init did not come in time

    const idle = rawSocket(supergraph.url);
    let pings = 0;
    idle.on('ping', () => (pings += 1));
    await new Promise((resolve) => idle.once('open', resolve));
    idle.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await waitFor(() => pings >= 2, 'keep-alive pings');
    expect(idle.readyState).toBe(WebSocket.OPEN); // it answered them: the router keeps it
    idle.close();
  });

  it('delivers every event in order to 100 concurrent subscribers', async () => {
    const { token } = await signUp(supergraph.url);
    // Half of them identical (memoryEvents is a @topic: they share one upstream subscription),
    // half each with an operation of its own (an upstream subscription each).
    const subscribers = Array.from({ length: 100 }, (_, i) =>
      subscribeWs(client(token), {
        query: WATCH.replace('subscription Watch', `subscription Watch${i < 50 ? '' : i}`),
      }),
    );
    await memorySubscriptions(51);
    // One identity: its upstream connections carry as many as a subgraph allows on one (3 here).
    expect(supergraph.router.subscriptions.stats).toEqual({
      subscribers: 100,
      topicFeeds: 51,
      subscriptions: 51,
      connections: 17,
    });
    const contents = ['one', 'two', 'three', 'four', 'five'];
    for (const content of contents) {
      await graphql(supergraph.url, { query: CREATE, variables: { content }, token });
    }
    for (const subscriber of subscribers) {
      const results = await subscriber.received(contents.length);
      expect(results.map((result) => result.data!.change.memory.content)).toEqual(contents);
    }
  });

  it('shares one upstream subscription between identical subscriptions of one identity', async () => {
    const { token } = await signUp(supergraph.url);
    const other = await signUp(supergraph.url);
    const first = subscribeWs(client(token), { query: WATCH });
    const second = subscribeWs(client(token), { query: WATCH });
    const stranger = subscribeWs(client(other.token), { query: WATCH });
    await memorySubscriptions(2);
    expect(supergraph.router.subscriptions.stats).toMatchObject({
      subscribers: 3,
      subscriptions: 2, // one for the two identical ones, one for the other identity
    });
    await graphql(supergraph.url, { query: CREATE, variables: { content: 'both' }, token });
    const [a] = await first.received(1);
    const [b] = await second.received(1);
    expect(a).toEqual(b);
    first.unsubscribe(); // the other still listens: the upstream subscription stays
    await graphql(supergraph.url, { query: CREATE, variables: { content: 'second' }, token });
    expect((await second.received(2))[1]!.data!.change.memory.content).toBe('second');
    expect(await openSubscriptions(supergraph.services.memory)).toBe(2);
    expect(stranger.results).toEqual([]);
  });

  it('fetches the entities of one event once for the different subscriptions of one identity', async () => {
    const { token, email } = await signUp(supergraph.url);
    // Twenty different subscriptions (each with a field alias and an operation name of its
    // own): twenty upstream subscriptions, and each event needs the same User from security.
    const subscribers = Array.from({ length: 20 }, (_, i) =>
      subscribeWs(client(token), {
        query: WATCH.replace('kind: type', `kind: type tag${i}: memoryId`).replace(
          'subscription Watch(',
          `subscription Watch${i}(`,
        ),
        operationName: `Watch${i}`,
      }),
    );
    await memorySubscriptions(20);
    const before = await entityFetches();
    await graphql(supergraph.url, { query: CREATE, variables: { content: 'shared' }, token });
    for (const subscriber of subscribers) {
      const [result] = await subscriber.received(1);
      expect(result!.data!.change.memory.author).toEqual({ email });
    }
    expect((await entityFetches()) - before).toBe(1);
  });

  /** Requests the security subgraph answered for the Watch operations' entity fetches. */
  async function entityFetches(): Promise<number> {
    const { values } = await supergraph.services.security.metrics.requests.get();
    return values
      .filter((value) => /^Watch\d*__security__/.test(String(value.labels.operation)))
      .reduce((sum, value) => sum + value.value, 0);
  }
});
