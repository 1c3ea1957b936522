// Presence through the router with @supergraph/collab-client: each client's Awareness state
// appears in the others' Awareness under its Yjs clientID (what editor bindings read for remote
// cursors), follows its changes, reaches a client that joins later, stays while it is renewed,
// and goes when it leaves.
import { waitFor } from '@supergraph/kit/testing';
import type { Client } from 'graphql-ws';
import { startSupergraph, type Supergraph } from '../harness.js';
import { wsClient } from '../realtime.js';
import { peer, sharedDocument, type Peer } from '../collab-peers.js';

/** Short, so that a test outlives it: presence stays only because the providers renew it. */
const PRESENCE_TIMEOUT_MS = 2_000;
const RENEW_MS = 400;

describe('presence through the router', () => {
  let supergraph: Supergraph;
  const clients: Client[] = [];
  const peers: Peer[] = [];
  const join = (token: string, documentId: string) => {
    const client = wsClient(supergraph.url, token);
    clients.push(client);
    const joined = peer({ client, documentId, presenceRenewMs: RENEW_MS });
    peers.push(joined);
    return joined;
  };
  /** The state `viewer` holds for `other`'s client. */
  const seen = (viewer: Peer, other: Peer) =>
    viewer.provider.awareness.getStates().get(other.provider.awareness.clientID);

  beforeAll(async () => {
    supergraph = await startSupergraph({
      env: { DOCUMENT_PRESENCE_TIMEOUT_MS: String(PRESENCE_TIMEOUT_MS) },
    });
  });
  afterEach(async () => {
    peers.splice(0).forEach((one) => one.provider.destroy());
    await Promise.all(clients.splice(0).map((one) => one.dispose()));
  });
  afterAll(() => supergraph.close());

  it('maps remote presence onto the Awareness and removes it when its client leaves', async () => {
    const { documentId, people } = await sharedDocument(supergraph.url, 3);
    const ada = join(people[0]!.token, documentId);
    const bob = join(people[1]!.token, documentId);
    await Promise.all([ada, bob].map((one) => one.provider.whenSynced()));
    const changes: { added: number[]; updated: number[]; removed: number[] }[] = [];
    bob.provider.awareness.on('change', (change: (typeof changes)[number]) => changes.push(change));

    const adaState = { user: { name: 'Ada', color: '#f00' }, cursor: { anchor: 0, head: 0 } };
    ada.provider.awareness.setLocalState(adaState);
    bob.provider.awareness.setLocalStateField('user', { name: 'Bob', color: '#00f' });
    await waitFor(() => seen(bob, ada)?.user?.name === 'Ada', "Ada's presence at Bob's");
    await waitFor(() => seen(ada, bob)?.user?.name === 'Bob', "Bob's presence at Ada's");
    expect(seen(bob, ada)).toEqual(adaState);
    expect(changes.some(({ added }) => added.includes(ada.provider.awareness.clientID))).toBe(true);

    ada.provider.awareness.setLocalStateField('cursor', { anchor: 3, head: 5 });
    await waitFor(() => seen(bob, ada)?.cursor?.head === 5, "Ada's cursor move at Bob's");
    expect(changes.some(({ updated }) => updated.includes(ada.provider.awareness.clientID))).toBe(
      true,
    );

    // A late joiner sees both, and both see it.
    const cy = join(people[2]!.token, documentId);
    cy.provider.awareness.setLocalStateField('user', { name: 'Cy' });
    await waitFor(
      () => seen(cy, ada)?.user?.name === 'Ada' && seen(cy, bob)?.user?.name === 'Bob',
      'the late joiner to see everyone',
    );
    await waitFor(
      () => seen(ada, cy)?.user?.name === 'Cy' && seen(bob, cy)?.user?.name === 'Cy',
      'everyone to see the late joiner',
    );

    ada.provider.destroy();
    await waitFor(
      () => seen(bob, ada) === undefined && seen(cy, ada) === undefined,
      "Ada's presence to leave the others' Awareness",
    );
    expect(changes.some(({ removed }) => removed.includes(ada.provider.awareness.clientID))).toBe(
      true,
    );
    expect(seen(bob, cy)?.user?.name).toBe('Cy');
  });

  it("keeps a present client beyond the server's expiry by renewing it", async () => {
    const { documentId, people } = await sharedDocument(supergraph.url, 2);
    const ada = join(people[0]!.token, documentId);
    const bob = join(people[1]!.token, documentId);
    ada.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitFor(() => seen(bob, ada)?.user?.name === 'Ada', "Ada's presence at Bob's");
    const adaId = ada.provider.awareness.clientID;
    let renewals = 0;
    let left = false;
    bob.provider.awareness.on(
      'update',
      ({ updated, removed }: { updated: number[]; removed: number[] }) => {
        if (updated.includes(adaId)) renewals += 1;
        if (removed.includes(adaId)) left = true;
      },
    );
    // More renewals than fit in one expiry period: without them the server would have
    // announced her LEAVE.
    const enough = Math.ceil(PRESENCE_TIMEOUT_MS / RENEW_MS) * 2;
    await waitFor(() => renewals >= enough, `${enough} renewals`);
    expect(left).toBe(false);
    expect(seen(bob, ada)).toEqual({ user: { name: 'Ada' } });
  });
});
