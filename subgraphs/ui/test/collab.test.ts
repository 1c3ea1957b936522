// Collaborative documents through the ui subgraph's API: sync by state vector, updates stored
// before the ack and streamed in order (resumable, without gap or duplicate), refusals that
// store nothing, viewers, revocation, versions and restore, server-side edits.
import * as Y from 'yjs';
import { errorCodes, waitFor } from '@supergraph/kit/testing';
import {
  APPLY,
  b64,
  createDocument,
  edit,
  fromB64,
  READ,
  share,
  startCollab,
  SYNC,
  syncedDoc,
  UPDATES,
  type Collab,
  type UpdateSeen,
} from './collab-setup.js';

let collab: Collab;
beforeAll(async () => {
  collab = await startCollab(
    { maxUpdateBytes: 4_096, snapshotEvery: 5 },
    { maxDocumentBytes: 8_192 },
  );
});
afterAll(() => collab.close());

const apply = (
  user: Awaited<ReturnType<Collab['user']>>,
  documentId: string,
  clientId: string,
  updates: string[],
) => user.call(APPLY, { input: { documentId, clientId, updates } });
const updatesOf = (token: string, id: string, after?: number) =>
  collab.subscribe<UpdateSeen>(token, UPDATES, { id, after }, (data) => data.documentUpdates);

describe('collaborative documents', () => {
  it('syncs two clients through the server: stored before the ack, streamed to the other', async () => {
    const alice = await collab.user();
    const bob = await collab.user();
    const { id } = await createDocument(alice, 'hello');
    await share(alice, id, bob.id, 'EDITOR');
    const a = await syncedDoc(alice, id);
    const b = await syncedDoc(bob, id);
    expect(b.doc.getText('content').toString()).toBe('hello');
    const toBob = updatesOf(bob.token, id, b.seq);
    await waitFor(() => toBob.client !== undefined, 'subscription');

    const update = edit(a.doc, (text) => text.insert(5, ' world'));
    const acked = await apply(alice, id, String(a.doc.clientID), [update]);
    expect(acked.data!.applyDocumentUpdates).toEqual({ seq: 2 });
    // Acknowledged means stored: the text is already the new one.
    expect((await alice.call(READ, { id })).data!.document).toMatchObject({
      content: 'hello world',
      seq: 2,
    });

    await waitFor(() => toBob.events.length === 1, 'the update reaching bob');
    expect(toBob.events[0]).toEqual({
      seq: 2,
      update,
      clientId: String(a.doc.clientID),
      author: { id: alice.id },
    });
    Y.applyUpdate(b.doc, fromB64(toBob.events[0]!.update));
    expect(b.doc.getText('content').toString()).toBe('hello world');

    // Catch-up by state vector returns only what the client lacks.
    const behind = new Y.Doc();
    Y.applyUpdate(behind, Y.encodeStateAsUpdate(b.doc));
    const lacks = await bob.call(SYNC, { id, sv: b64(Y.encodeStateVector(behind)) });
    expect(Y.decodeUpdate(fromB64(lacks.data!.documentSync.update)).structs).toHaveLength(0);
    expect(lacks.data!.documentSync).toMatchObject({
      seq: 2,
      stateVector: b64(Y.encodeStateVector(b.doc)),
    });
  });

  it('streams exactly what a client missed after `after`, then live updates, without gap or duplicate', async () => {
    const alice = await collab.user();
    const { id } = await createDocument(alice, '');
    const writers = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    const write = (doc: Y.Doc, n: number) =>
      (async () => {
        for (let i = 0; i < n; i += 1) {
          const update = edit(doc, (text) => text.insert(0, `${doc.clientID % 10}`));
          expect((await apply(alice, id, String(doc.clientID), [update])).errors).toBeUndefined();
        }
      })();
    await Promise.all(writers.map((doc) => write(doc, 10)));
    const fromStart = updatesOf(alice.token, id, 0);
    const fromMiddle = updatesOf(alice.token, id, 17);
    await Promise.all(writers.map((doc) => write(doc, 10)));
    const total = 60;
    await waitFor(
      () => fromStart.events.length >= total && fromMiddle.events.length >= total - 17,
      'every update streamed',
    );
    expect(fromStart.events.map((event) => event.seq)).toEqual(
      Array.from({ length: total }, (_, i) => i + 1),
    );
    expect(fromMiddle.events.map((event) => event.seq)).toEqual(
      Array.from({ length: total - 17 }, (_, i) => i + 18),
    );
    const rebuilt = new Y.Doc();
    for (const event of fromStart.events) Y.applyUpdate(rebuilt, fromB64(event.update));
    expect(rebuilt.getText('content').toString()).toHaveLength(total);
    expect(rebuilt.getText('content').toString()).toBe(
      (await alice.call(READ, { id })).data!.document.content,
    );
  });

  it('refuses updates that are not base64, not Yjs, too large, or that make the text too long, storing nothing', async () => {
    const alice = await collab.user();
    const { id } = await createDocument(alice, 'kept');
    const { doc } = await syncedDoc(alice, id);
    const big = edit(new Y.Doc(), (text) => text.insert(0, 'x'.repeat(5_000)));
    const pieces = [0, 1, 2].map(() => edit(doc, (text) => text.insert(0, 'y'.repeat(3_000))));
    const cases: [string[], string][] = [
      [['not base64!'], 'input.updates.0'],
      [[b64(new TextEncoder().encode('hello world'))], 'input.updates.0'],
      [[''], 'input.updates.0'],
      [[big], 'input.updates.0'],
      [[], 'input.updates'],
      [pieces, 'updates'],
    ];
    for (const [updates, field] of cases) {
      const refused = await apply(alice, id, 'c1', updates);
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0]!.extensions!['field']).toBe(field);
      expect((await alice.call(READ, { id })).data!.document).toMatchObject({
        content: 'kept',
        seq: 1,
        version: 1,
      });
    }
    // The document still takes a good update, on top of what was stored (not of the refused).
    const fresh = await syncedDoc(alice, id);
    const good = edit(fresh.doc, (text) => text.insert(4, '!'));
    expect((await apply(alice, id, 'c1', [good])).data!.applyDocumentUpdates.seq).toBe(2);
    expect((await alice.call(READ, { id })).data!.document.content).toBe('kept!');
  });

  it('commits concurrent writers together, each under its own seq, refusing only the one at fault', async () => {
    const alice = await collab.user();
    const { id } = await createDocument(alice, '');
    const writers = Array.from({ length: 10 }, () => new Y.Doc());
    const good = writers.map((doc, n) =>
      apply(alice, id, String(doc.clientID), [edit(doc, (text) => text.insert(0, `<${n}>`))]),
    );
    const greedy = new Y.Doc();
    const bad = apply(
      alice,
      id,
      'greedy',
      [0, 1, 2].map(() => edit(greedy, (text) => text.insert(0, 'g'.repeat(3_000)))),
    );
    const results = await Promise.all(good);
    expect(errorCodes(await bad)).toEqual(['BAD_USER_INPUT']);
    const seqs = results.map((result) => result.data!.applyDocumentUpdates.seq as number);
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    const { content, seq } = (await alice.call(READ, { id })).data!.document;
    expect(seq).toBe(10);
    for (let n = 0; n < 10; n += 1) expect(content).toContain(`<${n}>`);
    expect(content).not.toContain('g');
  });

  it('lets a viewer sync and watch but refuses its updates, leaving the document as it was', async () => {
    const alice = await collab.user();
    const viewer = await collab.user();
    const { id } = await createDocument(alice, 'read me');
    expect(errorCodes(await viewer.call(SYNC, { id }))).toEqual(['NOT_FOUND']);
    await share(alice, id, viewer.id, 'VIEWER');
    const { doc } = await syncedDoc(viewer, id);
    expect(doc.getText('content').toString()).toBe('read me');
    const refused = await apply(viewer, id, String(doc.clientID), [
      edit(doc, (text) => text.insert(0, 'x')),
    ]);
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const edited = await viewer.call(
      'mutation($input: EditDocumentTextInput!) { editDocumentText(input: $input) { seq } }',
      { input: { documentId: id, index: 0, insert: 'x' } },
    );
    expect(errorCodes(edited)).toEqual(['FORBIDDEN']);
    expect((await viewer.call(READ, { id })).data!.document).toEqual({
      content: 'read me',
      seq: 1,
      version: 1,
      role: 'VIEWER',
    });
  });

  it("ends a user's subscriptions of a document when the owner takes their access away", async () => {
    const alice = await collab.user();
    const bob = await collab.user();
    const { id } = await createDocument(alice, 'soon gone');
    await share(alice, id, bob.id, 'EDITOR');
    const updates = updatesOf(bob.token, id);
    const presence = collab.subscribe(
      bob.token,
      'subscription($id: ID!) { documentPresence(documentId: $id, clientId: "b") { change clientId } }',
      { id },
      (data) => data.documentPresence,
    );
    await bob.call(
      'mutation($id: ID!) { setDocumentPresence(input: { documentId: $id, clientId: "b", state: { name: "bob" } }) }',
      { id },
    );
    await waitFor(() => presence.events.length > 0, 'bob present');
    const unshared = await alice.call(
      'mutation($id: ID!, $user: ID!) { unshareDocument(id: $id, userId: $user) }',
      { id, user: bob.id },
    );
    expect(unshared.data!.unshareDocument).toBe(true);
    await waitFor(
      () => updates.ended.errors !== undefined && presence.ended.errors !== undefined,
      'both subscriptions ended',
    );
    expect(updates.ended.errors![0]!.extensions!['code']).toBe('FORBIDDEN');
    expect(presence.ended.errors![0]!.extensions!['code']).toBe('FORBIDDEN');
    expect(errorCodes(await bob.call(SYNC, { id }))).toEqual(['NOT_FOUND']);
  });

  it('takes snapshots every N updates and named versions, and restores one as a new update every client converges on', async () => {
    const alice = await collab.user();
    const { id } = await createDocument(alice, 'v1');
    const { doc, seq } = await syncedDoc(alice, id);
    const watcher = updatesOf(alice.token, id, seq);
    for (let i = 0; i < 5; i += 1)
      await apply(alice, id, 'w', [edit(doc, (text) => text.insert(text.length, `.${i}`))]);
    const named = await alice.call(
      'mutation($id: ID!) { createDocumentVersion(documentId: $id, name: "draft") { id seq name content author { id } } }',
      { id },
    );
    expect(named.data!.createDocumentVersion).toMatchObject({
      seq: 6,
      name: 'draft',
      content: 'v1.0.1.2.3.4',
      author: { id: alice.id },
    });
    await apply(alice, id, 'w', [edit(doc, (text) => text.delete(0, 2))]);
    const versions = await alice.call(
      'query($id: ID!) { document(id: $id) { versions { seq name content } } }',
      { id },
    );
    // The automatic snapshot after the fifth update, and the named one.
    expect(versions.data!.document.versions).toEqual([
      { seq: 6, name: 'draft', content: 'v1.0.1.2.3.4' },
      { seq: 5, name: null, content: 'v1.0.1.2.3' },
    ]);

    const restored = await alice.call(
      'mutation($v: ID!) { restoreDocumentVersion(id: $v) { seq } }',
      { v: named.data!.createDocumentVersion.id },
    );
    expect(restored.data!.restoreDocumentVersion.seq).toBe(8);
    await waitFor(() => watcher.events.length === 7, 'the restore streamed');
    const follower = new Y.Doc();
    Y.applyUpdate(follower, Y.encodeStateAsUpdate((await syncedDoc(alice, id)).doc));
    for (const event of watcher.events) Y.applyUpdate(doc, fromB64(event.update));
    expect(doc.getText('content').toString()).toBe('v1.0.1.2.3.4');
    expect(follower.getText('content').toString()).toBe('v1.0.1.2.3.4');
    // History is kept: the whole log still replays to the restored text.
    const replay = updatesOf(alice.token, id, 0);
    await waitFor(() => replay.events.length === 8, 'the whole log');
  });

  it('merges a server-side edit with a concurrent client edit', async () => {
    const alice = await collab.user();
    const { id } = await createDocument(alice, 'Hello world');
    const { doc } = await syncedDoc(alice, id);
    const local = edit(doc, (text) => text.insert(0, 'Dear '));
    const server = await alice.call(
      'mutation($input: EditDocumentTextInput!) { editDocumentText(input: $input) { seq } }',
      { input: { documentId: id, index: 11, insert: '!' } },
    );
    expect(server.data!.editDocumentText.seq).toBe(2);
    await apply(alice, id, String(doc.clientID), [local]);
    const synced = await alice.call(SYNC, { id, sv: b64(Y.encodeStateVector(doc)) });
    Y.applyUpdate(doc, fromB64(synced.data!.documentSync.update));
    expect(doc.getText('content').toString()).toBe('Dear Hello world!');
    expect((await alice.call(READ, { id })).data!.document.content).toBe('Dear Hello world!');
    const outside = await alice.call(
      'mutation($input: EditDocumentTextInput!) { editDocumentText(input: $input) { seq } }',
      { input: { documentId: id, index: 10, delete: 10 } },
    );
    expect(errorCodes(outside)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('presence', () => {
  let short: Collab;
  beforeAll(async () => {
    short = await startCollab({ presenceTimeoutMs: 600 });
  });
  afterAll(() => short.close());

  const PRESENCE =
    'subscription($id: ID!, $client: String) { documentPresence(documentId: $id, clientId: $client) { change clientId user { id } state } }';
  const SET = 'mutation($input: DocumentPresenceInput!) { setDocumentPresence(input: $input) }';

  it('tells of joins, changes and leaves: on request, on disconnect and on expiry', async () => {
    const alice = await short.user();
    const bob = await short.user();
    const { id } = await createDocument(alice, 'together');
    await share(alice, id, bob.id, 'EDITOR');
    const set = (user: typeof alice, clientId: string, state: unknown) =>
      user.call(SET, { input: { documentId: id, clientId, state } });

    expect((await set(alice, 'a', { name: 'alice', cursor: 1 })).data!.setDocumentPresence).toBe(
      true,
    );
    // Bob's subscription starts with those present, then follows.
    const bobSees = short.subscribe(
      bob.token,
      PRESENCE,
      { id, client: 'b' },
      (data) => data.documentPresence,
    );
    await waitFor(() => bobSees.events.length === 1, 'alice present');
    expect(bobSees.events[0]).toEqual({
      change: 'JOIN',
      clientId: 'a',
      user: { id: alice.id },
      state: { name: 'alice', cursor: 1 },
    });
    const aliceSees = short.subscribe(
      alice.token,
      PRESENCE,
      { id, client: 'a' },
      (data) => data.documentPresence,
    );
    await waitFor(() => aliceSees.events.length === 1, 'alice sees herself');

    await set(bob, 'b', { name: 'bob' });
    await waitFor(() => aliceSees.events.some((event) => event.clientId === 'b'), 'bob joining');
    await set(alice, 'a', { name: 'alice', cursor: 7 });
    await waitFor(() => bobSees.events.length >= 3, 'alice moving');
    expect(bobSees.events.slice(1).map((event) => [event.change, event.clientId])).toEqual(
      expect.arrayContaining([
        ['JOIN', 'b'],
        ['UPDATE', 'a'],
      ]),
    );
    // Another user may not take over a client id.
    expect(errorCodes(await set(bob, 'a', { name: 'mallory' }))).toEqual(['FORBIDDEN']);

    // Bob disconnects: his presence leaves at once, not after the timeout.
    await bobSees.client.dispose();
    await waitFor(
      () => aliceSees.events.some((event) => event.change === 'LEAVE' && event.clientId === 'b'),
      'bob leaving',
    );
    // Alice's own entry is renewed by her subscription's client only when she sets it: it expires.
    await waitFor(
      () => aliceSees.events.some((event) => event.change === 'LEAVE' && event.clientId === 'a'),
      'alice expiring',
    );
    expect(errorCodes(await set(alice, 'a', 'not an object'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await set(alice, 'a', { big: 'x'.repeat(5_000) }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});
