// The provider's protocol against a scripted graphql-ws client: what it sends, in which order,
// and what it does with each answer (the e2e tests in tests/e2e/collab-*.test.ts run it against
// the real router).
import { waitFor } from '@supergraph/kit/testing';
import * as Y from 'yjs';
import { CollabProvider, type CollabError, type SequenceEvent } from '../src/index.js';
import { FakeClient, base64, bytes, syncAnswer } from './fake-client.js';

const SYNC = 'CollabDocumentSync';
const APPLY = 'CollabApplyDocumentUpdates';
const UPDATES = 'CollabDocumentUpdates';
const PRESENCE = 'CollabDocumentPresence';
const SET_PRESENCE = 'CollabSetDocumentPresence';

const providers: CollabProvider[] = [];
afterEach(() => providers.splice(0).forEach((provider) => provider.destroy()));

function setup(doc = new Y.Doc()) {
  const fake = new FakeClient();
  const provider = new CollabProvider({
    client: fake.asClient(),
    documentId: 'doc-1',
    doc,
    retryBaseMs: 1,
    retryCapMs: 5,
    presenceThrottleMs: 0,
  });
  providers.push(provider);
  const sync = (server: Y.Doc, seq: number) => {
    const variables = fake.live(SYNC)[0]!.payload.variables as { stateVector: string };
    fake.answer(SYNC, syncAnswer(server, variables.stateVector, seq));
  };
  /** The updates of every applyDocumentUpdates call so far. */
  const sent = () =>
    fake.operations
      .filter((operation) => operation.payload.query.includes(APPLY))
      .map((operation) => (operation.payload.variables as any).input.updates as string[]);
  const remote = (seq: number, update: Uint8Array | string, clientId: string | null = '7') =>
    fake.live(UPDATES)[0]!.sink.next({
      data: {
        documentUpdates: {
          seq,
          update: typeof update === 'string' ? update : base64(update),
          clientId,
        },
      },
    });
  return { fake, doc, provider, sync, sent, remote };
}

/** A server-side doc and the updates that built it, one per edit. */
function history(edits: string[]) {
  const server = new Y.Doc();
  const updates: Uint8Array[] = [];
  server.on('update', (update: Uint8Array) => updates.push(update));
  for (const edit of edits) server.getText('content').insert(0, edit);
  return { server, updates };
}

const text = (doc: Y.Doc) => doc.getText('content').toString();

it('syncs by state vector, pushes what the server lacks and streams from the seq reached', async () => {
  const doc = new Y.Doc();
  doc.getText('content').insert(0, 'mine ');
  const { fake, provider, sync, sent } = setup(doc);
  const { server } = history(['hello']);
  sync(server, 4);
  await waitFor(() => provider.synced, 'synced');

  expect(text(doc)).toContain('hello');
  expect(text(doc)).toContain('mine');
  expect(fake.live(UPDATES)[0]!.payload.variables).toEqual({ documentId: 'doc-1', after: 4 });
  expect(sent()).toHaveLength(1);
  Y.applyUpdate(server, bytes(sent()[0]![0]!));
  expect(text(server)).toBe(text(doc));
  expect(provider.hasUnsyncedChanges).toBe(true);
  fake.answer(APPLY, { data: { applyDocumentUpdates: { seq: 5 } } });
  await waitFor(() => !provider.hasUnsyncedChanges, 'the push acknowledged');
});

it('keeps one update call in flight and merges the edits made meanwhile into the next', async () => {
  const { fake, doc, provider, sync, sent } = setup();
  sync(new Y.Doc(), 0);
  await waitFor(() => provider.synced, 'synced');
  expect(sent()).toHaveLength(0);

  doc.getText('content').insert(0, 'a');
  doc.getText('content').insert(1, 'b');
  doc.getText('content').insert(2, 'c');
  expect(sent()).toHaveLength(1);
  fake.answer(APPLY, { data: { applyDocumentUpdates: { seq: 1 } } });
  await waitFor(() => sent().length === 2, 'the second call');
  expect(sent()[1]).toHaveLength(1);

  const server = new Y.Doc();
  for (const updates of sent()) for (const update of updates) Y.applyUpdate(server, bytes(update));
  expect(text(server)).toBe('abc');
  fake.answer(APPLY, { data: { applyDocumentUpdates: { seq: 2 } } });
  await waitFor(() => !provider.hasUnsyncedChanges, 'everything acknowledged');
  expect(sent()).toHaveLength(2);
});

it('reports FORBIDDEN without retrying, and retries what the server may recover from', async () => {
  const { fake, doc, provider, sync, sent } = setup();
  const errors: CollabError[] = [];
  provider.on('error', (error) => errors.push(error));
  sync(new Y.Doc(), 0);
  await waitFor(() => provider.synced, 'synced');

  doc.getText('content').insert(0, 'a');
  fake.answer(APPLY, { errors: [{ message: 'busy', extensions: { code: 'OVERLOADED' } }] });
  await waitFor(() => sent().length === 2, 'the retry');
  expect(sent()[1]).toEqual(sent()[0]);
  expect(errors).toEqual([]);

  fake.answer(APPLY, { errors: [{ message: 'a viewer', extensions: { code: 'FORBIDDEN' } }] });
  await waitFor(() => errors.length === 1, 'the error event');
  expect(errors[0]).toMatchObject({ code: 'FORBIDDEN', operation: 'update', fatal: true });
  doc.getText('content').insert(0, 'b');
  expect(sent()).toHaveLength(2);
  expect(provider.synced).toBe(true);
});

it('applies remote updates out of order, once each, and skips its own echoes', async () => {
  const { doc, provider, sync, sent, remote } = setup();
  const seqs: SequenceEvent[] = [];
  provider.on('sequence', (event) => seqs.push(event));
  sync(new Y.Doc(), 0);
  await waitFor(() => provider.synced, 'synced');
  const { server, updates } = history(['one ', 'two ', 'three ']);

  remote(3, updates[2]!);
  expect(provider.seq).toBe(0);
  expect(text(doc)).toBe('');
  remote(1, updates[0]!);
  remote(1, updates[0]!);
  expect(provider.seq).toBe(1);
  remote(2, updates[1]!);
  expect(provider.seq).toBe(3);
  expect(text(doc)).toBe(text(server));

  doc.getText('content').insert(0, 'x');
  expect(sent()).toHaveLength(1);
  // Its own echo is not even decoded.
  remote(4, 'not an update', String(doc.clientID));
  expect(provider.seq).toBe(4);
  expect(seqs.flatMap((event) => event.seqs)).toEqual([3, 1, 2, 4]);
});

it('after a closed socket, resyncs, pushes the offline edits and resumes after the contiguous seq', async () => {
  const { fake, doc, provider, sync, sent, remote } = setup();
  const seqs: SequenceEvent[] = [];
  provider.on('sequence', (event) => seqs.push(event));
  sync(new Y.Doc(), 0);
  await waitFor(() => provider.synced, 'synced');
  const { server, updates } = history(['one ', 'two ', 'three ']);

  doc.getText('content').insert(0, 'x');
  const inFlight = fake.live(APPLY)[0]!;
  remote(1, updates[0]!);
  remote(3, updates[2]!);
  fake.emit('closed', { code: 1006, reason: '' });
  expect(provider.synced).toBe(false);
  expect(inFlight.cancelled).toBe(true);
  expect(fake.live(UPDATES)).toEqual([]);

  doc.getText('content').insert(0, 'y');
  expect(sent()).toHaveLength(1);
  await waitFor(() => fake.live(SYNC).length === 1, 'the resync');
  // The call in flight was lost with the socket: the server has the three remote updates only.
  sync(server, 3);
  await waitFor(() => provider.synced, 'synced again');

  expect(fake.live(UPDATES)[0]!.payload.variables).toEqual({ documentId: 'doc-1', after: 3 });
  expect(sent()).toHaveLength(2);
  Y.applyUpdate(server, bytes(sent()[1]![0]!));
  expect(text(server)).toBe(text(doc));
  expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(doc));
  expect(seqs).toEqual([
    { seqs: [1], source: 'subscription', clientId: '7' },
    { seqs: [3], source: 'subscription', clientId: '7' },
    { seqs: [2], source: 'sync' },
  ]);
});

it('maps presence events onto the Awareness and clears its own presence on destroy', async () => {
  const { fake, provider, sync } = setup();
  const { awareness } = provider;
  const changes: { added: number[]; updated: number[]; removed: number[] }[] = [];
  awareness.on('change', (change: (typeof changes)[number]) => changes.push(change));
  sync(new Y.Doc(), 0);
  await waitFor(() => fake.live(PRESENCE).length === 1, 'the presence stream');
  expect(fake.live(PRESENCE)[0]!.payload.variables).toEqual({
    documentId: 'doc-1',
    clientId: String(awareness.clientID),
  });
  await waitFor(() => fake.live(SET_PRESENCE).length === 1, 'its presence sent');
  fake.answer(SET_PRESENCE, { data: { setDocumentPresence: true } });

  const event = (change: string, state: unknown) =>
    fake.live(PRESENCE)[0]!.sink.next({
      data: { documentPresence: { change, clientId: '42', state } },
    });
  event('JOIN', { user: { name: 'Ada' } });
  expect(awareness.getStates().get(42)).toEqual({ user: { name: 'Ada' } });
  // A newcomer gets this client's state at once.
  await waitFor(() => fake.live(SET_PRESENCE).length === 1, 'its presence sent again');
  fake.answer(SET_PRESENCE, { data: { setDocumentPresence: true } });
  event('UPDATE', { user: { name: 'Ada' }, cursor: { anchor: 1, head: 2 } });
  expect(awareness.getStates().get(42)).toMatchObject({ cursor: { head: 2 } });
  event('LEAVE', null);
  expect(awareness.getStates().has(42)).toBe(false);
  expect(changes).toEqual([
    { added: [42], updated: [], removed: [] },
    { added: [], updated: [42], removed: [] },
    { added: [], updated: [], removed: [42] },
  ]);

  awareness.setLocalStateField('user', { name: 'Bob' });
  await waitFor(() => fake.live(SET_PRESENCE).length === 1, 'the local change sent');
  expect((fake.live(SET_PRESENCE)[0]!.payload.variables as any).input.state).toEqual({
    user: { name: 'Bob' },
  });
  provider.destroy();
  const left = fake.live(SET_PRESENCE).at(-1)!;
  expect((left.payload.variables as any).input.state).toBeNull();
  expect(fake.live(PRESENCE)).toEqual([]);
});

it('reports an event it cannot apply and catches up by state vector instead', async () => {
  const { fake, provider, sync, remote } = setup();
  const errors: CollabError[] = [];
  provider.on('error', (error) => errors.push(error));
  sync(new Y.Doc(), 0);
  await waitFor(() => provider.synced, 'synced');

  remote(1, 'BQEC'); // cut short
  expect(errors).toMatchObject([{ operation: 'updates', fatal: false }]);
  expect(provider.synced).toBe(false);
  await waitFor(() => fake.live(SYNC).length === 1, 'the resync');
});
