// What an attacker sends to collaborative documents through the router: updates that are not
// Yjs, too many or too large, text past the document's limit, presence floods and oversized
// states, someone else's document. Each gets a coded refusal, the document stays as it was,
// and the service goes on merging honest edits.
import * as Y from 'yjs';
import { errorCodes, graphql } from '@supergraph/kit/testing';
import { APPLY, b64, createDocument, edit, READ, syncedDoc } from '../collab.js';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import { subscribeWs, wsClient } from '../realtime.js';

const SET = 'mutation($input: DocumentPresenceInput!) { setDocumentPresence(input: $input) }';
const UPDATES =
  'subscription($id: ID!, $after: Int) { documentUpdates(documentId: $id, after: $after) { seq } }';

let supergraph: Supergraph;
beforeAll(async () => {
  supergraph = await startSupergraph();
}, 120_000);
afterAll(() => supergraph.close());

describe('hostile collaboration input', () => {
  it('refuses bad updates with codes, stores nothing, and still merges honest edits', async () => {
    const { token } = await signUp(supergraph.url);
    const id = await createDocument(supergraph.url, token, 'safe');
    const apply = (updates: string[]) =>
      graphql(supergraph.url, {
        query: APPLY,
        variables: { input: { documentId: id, clientId: 'x', updates } },
        token,
      });
    const unchanged = async () =>
      expect(
        (await graphql(supergraph.url, { query: READ, variables: { id }, token })).data,
      ).toEqual({
        document: { content: 'safe', seq: 1 },
      });

    // Bytes that are not a Yjs update, and a decodable prefix with garbage (a truncated update).
    const real = edit(await syncedDoc(supergraph.url, token, id), (text) =>
      text.insert(0, 'x'.repeat(100)),
    );
    const truncated = b64(Buffer.from(real, 'base64').subarray(0, 20));
    for (const updates of [
      [b64(Buffer.from('\u0000\u0001garbage'))],
      [truncated],
      ['%%%'],
      [],
      Array(101).fill(real),
    ]) {
      expect(errorCodes(await apply(updates))).toEqual(['BAD_USER_INPUT']);
    }
    await unchanged();

    // Text past MAX_DOCUMENT_BYTES (512 KiB) in pieces that are each under MAX_UPDATE_BYTES.
    const doc = await syncedDoc(supergraph.url, token, id);
    const pieces = Array.from({ length: 3 }, () =>
      edit(doc, (text) => text.insert(0, 'y'.repeat(200_000))),
    );
    expect(errorCodes(await apply(pieces))).toEqual(['BAD_USER_INPUT']);
    // One piece over MAX_UPDATE_BYTES, and a body over the router's 1 MiB limit.
    const huge = edit(new Y.Doc(), (text) => text.insert(0, 'z'.repeat(300_000)));
    expect(errorCodes(await apply([huge]))).toEqual(['BAD_USER_INPUT']);
    const body = await fetch(supergraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: APPLY,
        variables: { input: { documentId: id, clientId: 'x', updates: [huge, huge, huge, huge] } },
      }),
    });
    expect(body.status).toBe(413);
    await unchanged();

    // Presence: not an object, too large, a flood of ids (each entry is bounded and expires).
    const set = (clientId: string, state: unknown) =>
      graphql(supergraph.url, {
        query: SET,
        variables: { input: { documentId: id, clientId, state } },
        token,
      });
    expect(errorCodes(await set('p', [1, 2, 3]))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await set('p', { blob: 'x'.repeat(10_000) }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await set('x'.repeat(65), { ok: true }))).toEqual(['BAD_USER_INPUT']);

    // Someone else's document does not exist for a stranger, over HTTP and WebSocket.
    const stranger = await signUp(supergraph.url);
    const theirs = await graphql(supergraph.url, {
      query: APPLY,
      variables: { input: { documentId: id, clientId: 's', updates: [real] } },
      token: stranger.token,
    });
    expect(errorCodes(theirs)).toEqual(['NOT_FOUND']);
    const client = wsClient(supergraph.url, stranger.token);
    const owners = wsClient(supergraph.url, token);
    try {
      const watched = subscribeWs(client, { query: UPDATES, variables: { id } });
      const [result] = await watched.received(1);
      expect(errorCodes(result!)).toEqual(['NOT_FOUND']);
      const ahead = subscribeWs(owners, {
        query: UPDATES,
        variables: { id, after: 99 },
      });
      const [refused] = await ahead.received(1);
      expect(errorCodes(refused!)).toEqual(['BAD_USER_INPUT']);
    } finally {
      await Promise.all([client.dispose(), owners.dispose()]);
    }
    await unchanged();

    // Still up, and an honest edit lands on what was stored.
    const honest = await syncedDoc(supergraph.url, token, id);
    const update = edit(honest, (text) => text.insert(4, '!'));
    expect((await apply([update])).data).toEqual({ applyDocumentUpdates: { seq: 2 } });
    expect((await graphql(supergraph.url, { query: READ, variables: { id }, token })).data).toEqual(
      {
        document: { content: 'safe!', seq: 2 },
      },
    );
  }, 120_000);
});
