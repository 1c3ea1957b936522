// Collaborative editing through the router with @supergraph/collab-client: three users edit one
// document at once over a network that reorders events, and everyone (the server and a client
// that joins late included) ends up with the same document; a viewer's edits are refused.
import { graphql, waitFor } from '@supergraph/kit/testing';
import type { Client } from 'graphql-ws';
import type { CollabError } from '@supergraph/collab-client';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import { wsClient } from '../realtime.js';
import {
  converged,
  peer,
  randomEdits,
  reordering,
  seededRandom,
  serverDocument,
  sharedDocument,
  stateVector,
  text,
  type Peer,
} from '../collab-peers.js';

const SEED = 20261203;
const EDITS_PER_CLIENT = 500;
/** A whole run moves a few thousand updates through the router on a shared machine. */
const LONG_TEST_MS = 240_000;

describe('collaborative editing through the router', () => {
  let supergraph: Supergraph;
  const clients: Client[] = [];
  const peers: Peer[] = [];
  const client = (token: string) => {
    const created = wsClient(supergraph.url, token);
    clients.push(created);
    return created;
  };
  const join = (options: Parameters<typeof peer>[0]) => {
    const joined = peer(options);
    peers.push(joined);
    return joined;
  };

  beforeAll(async () => {
    supergraph = await startSupergraph();
  });
  afterEach(async () => {
    peers.splice(0).forEach((one) => one.provider.destroy());
    await Promise.all(clients.splice(0).map((one) => one.dispose()));
  });
  afterAll(() => supergraph.close());

  it(
    'converges three editors with reordered events, the server and a late joiner',
    async () => {
      const { documentId, people } = await sharedDocument(supergraph.url, 3);
      const editors = people.map((person, index) =>
        join({
          client: reordering(client(person.token), seededRandom(SEED + 100 + index)),
          documentId,
        }),
      );
      await Promise.all(editors.map((one) => one.provider.whenSynced()));

      await Promise.all(
        editors.map((one, index) =>
          randomEdits(one, seededRandom(SEED + index), EDITS_PER_CLIENT, 'abc'[index]!),
        ),
      );
      await converged(editors, 'the three editors to converge', LONG_TEST_MS / 2);

      // The network did reorder: some seqs reached an editor before lower ones.
      const overtaken = editors.flatMap((one) =>
        [...one.seqCounts.keys()].filter((seq, index, arrived) => seq < arrived[index - 1]!),
      );
      expect(overtaken.length).toBeGreaterThan(0);

      const final = text(editors[0]!);
      expect(final.length).toBeGreaterThan(0);
      const server = await serverDocument(supergraph.url, people[0]!.token, documentId);
      expect(server.content).toBe(final);
      expect(server.stateVector).toBe(stateVector(editors[0]!));
      // Every seq reached every editor once: by its stream (its own as echoes) or the first sync.
      for (const one of editors) {
        expect(one.provider.seq).toBe(server.seq);
        expect([...one.seqCounts.keys()].sort((a, b) => a - b)).toEqual(
          Array.from({ length: server.seq }, (_, index) => index + 1),
        );
        expect([...one.seqCounts.values()].every((count) => count === 1)).toBe(true);
      }

      const late = join({ client: client((await signUp(supergraph.url)).token), documentId });
      // A stranger has no access: the provider reports NOT_FOUND and stops.
      const refused = new Promise((resolve) => late.provider.on('error', resolve));
      await expect(refused).resolves.toMatchObject({ code: 'NOT_FOUND' });

      const latecomer = join({ client: client(people[1]!.token), documentId });
      await latecomer.provider.whenSynced();
      expect(text(latecomer)).toBe(final);
      expect(stateVector(latecomer)).toBe(stateVector(editors[0]!));
    },
    LONG_TEST_MS,
  );

  it("reports a viewer's refused edits without retrying them, and stops when access is revoked", async () => {
    const { documentId, people } = await sharedDocument(supergraph.url, 2);
    const [owner, reader] = people as [(typeof people)[0], (typeof people)[0]];
    const asOwner = (query: string, variables: Record<string, unknown>) =>
      graphql(supergraph.url, { query, variables, token: owner.token });
    await asOwner('mutation($input: ShareInput!) { shareDocument(input: $input) { role } }', {
      input: { id: documentId, userId: reader.userId, role: 'VIEWER' },
    });
    const sent: string[] = [];
    const counting = client(reader.token);
    const viewer = join({
      client: {
        ...counting,
        subscribe: (payload, sink) => {
          sent.push(payload.query);
          return counting.subscribe(payload, sink);
        },
      },
      documentId,
    });
    const errors: CollabError[] = [];
    viewer.provider.on('error', (error) => errors.push(error));
    await viewer.provider.whenSynced();
    const updateCalls = () => sent.filter((query) => query.includes('applyDocumentUpdates'));

    viewer.doc.getText('content').insert(0, 'not mine to write');
    await waitFor(() => errors.length === 1, 'the refusal');
    expect(errors[0]).toMatchObject({ code: 'FORBIDDEN', operation: 'update', fatal: true });
    viewer.doc.getText('content').insert(0, 'still not');
    expect(viewer.provider.hasUnsyncedChanges).toBe(false);
    expect(updateCalls()).toHaveLength(1);
    expect((await serverDocument(supergraph.url, owner.token, documentId)).content).toBe('');

    await asOwner(
      'mutation($id: ID!, $userId: ID!) { unshareDocument(id: $id, userId: $userId) }',
      {
        id: documentId,
        userId: reader.userId,
      },
    );
    await waitFor(() => errors.length === 2, 'the revocation');
    expect(errors[1]).toMatchObject({ code: 'FORBIDDEN', fatal: true });
    expect(viewer.provider.status).toBe('disconnected');
    await expect(viewer.provider.whenSynced()).rejects.toThrow('stopped');
    expect(updateCalls()).toHaveLength(1);
  });
});
