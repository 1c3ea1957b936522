// Memory events over graphql-ws: a subscriber sees the changes to its own memories (of one
// fold, or of all), in order, and never another user's.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { CREATE, CREATE_FOLD, startMemory } from './setup.js';

type Harness = Awaited<ReturnType<typeof startMemory>>;
let memory: Harness;
let url: string;
const clients: Client[] = [];

beforeAll(async () => {
  memory = await startMemory();
  url = (await memory.subgraph.listen(0)).url.replace('http', 'ws');
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await memory.subgraph.close();
});

function subscribe(token: string, foldId?: string) {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
  });
  clients.push(client);
  const events: { type: string; memoryId: string; memory: { content: string } | null }[] = [];
  const ready = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  const done = new Promise<void>((resolve, reject) => {
    client.subscribe(
      {
        query:
          'subscription($foldId: ID) { memoryEvents(foldId: $foldId) { type memoryId memory { content } } }',
        variables: { foldId },
      },
      {
        next: ({ data }) => events.push((data as any).memoryEvents),
        error: reject,
        complete: resolve,
      },
    );
  });
  return { events, ready, done };
}

/** Repeats `probe` until every list has an event (bounded). */
async function primed(lists: unknown[][], probe: () => Promise<unknown>) {
  for (let i = 0; i < 50 && lists.some((list) => list.length === 0); i += 1) {
    await probe();
    await until(lists[0]!, 1, 5);
  }
  expect(lists.every((list) => list.length > 0)).toBe(true);
}

/** Waits until `events` holds n entries (bounded): delivery is asynchronous. */
async function until(events: unknown[], n: number, tries = 100) {
  for (let i = 0; i < tries && events.length < n; i += 1)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('memoryEvents', () => {
  it('streams created, updated and deleted events of a fold, and only its own', async () => {
    const owner = await memory.user();
    const stranger = await memory.user();
    const fold = (await owner.call(CREATE_FOLD, { input: { name: 'live' } })).data!.createFold.id;
    const ofFold = subscribe(owner.token, fold);
    const ofAll = subscribe(owner.token);
    const ofStranger = subscribe(stranger.token);
    await Promise.all([ofFold.ready, ofAll.ready, ofStranger.ready]);
    // A subscription is live once an event reaches it: probe, then start from a clean slate.
    await primed([ofFold.events, ofAll.events], () =>
      owner.call(CREATE, { input: { content: 'probe', foldId: fold } }),
    );
    await primed([ofStranger.events], () => stranger.call(CREATE, { input: { content: 'probe' } }));
    for (const { events } of [ofFold, ofAll, ofStranger]) events.length = 0;

    const id = (await owner.call(CREATE, { input: { content: 'first draft', foldId: fold } })).data!
      .createMemory.id;
    await owner.call(
      'mutation($input: UpdateMemoryInput!) { updateMemory(input: $input) { id } }',
      { input: { id, content: 'second draft' } },
    );
    await owner.call(CREATE, { input: { content: 'outside the fold' } });
    await owner.call('mutation($id: ID!) { deleteMemory(id: $id) }', { id });

    await until(ofFold.events, 3);
    await until(ofAll.events, 4);
    expect(ofFold.events.map(({ type, memoryId }) => ({ type, memoryId }))).toEqual([
      { type: 'CREATED', memoryId: id },
      { type: 'UPDATED', memoryId: id },
      { type: 'DELETED', memoryId: id },
    ]);
    expect(ofFold.events[2]!.memory).toBeNull();
    expect(ofAll.events.map((event) => event.type)).toEqual([
      'CREATED',
      'UPDATED',
      'CREATED',
      'DELETED',
    ]);
    expect(ofStranger.events).toEqual([]);
  });

  it('refuses a subscriber without a token', async () => {
    const client = createClient({ url, webSocketImpl: WebSocket, lazy: false });
    clients.push(client);
    const outcome = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: 'subscription { memoryEvents { type } }' },
        { next: resolve, error: resolve, complete: () => resolve('complete') },
      );
    });
    expect(JSON.stringify(outcome)).toContain('UNAUTHENTICATED');
  });
});
