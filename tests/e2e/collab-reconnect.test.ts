// A collaborator's network drops while everyone edits: @supergraph/collab-client keeps the
// offline edits, resumes the update stream where it stopped once graphql-ws reconnects, and no
// update is lost or taken in twice.
import { waitFor } from '@supergraph/kit/testing';
import type { Client } from 'graphql-ws';
import { startSupergraph, type Supergraph } from '../harness.js';
import { wsClient } from '../realtime.js';
import {
  converged,
  flakyClient,
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

const SEED = 7;
const EDITS = 150;
const LONG_TEST_MS = 180_000;

describe('collaborative editing across a network drop', () => {
  let supergraph: Supergraph;
  const clients: Client[] = [];
  const peers: Peer[] = [];

  beforeAll(async () => {
    supergraph = await startSupergraph();
  });
  afterEach(async () => {
    peers.splice(0).forEach((one) => one.provider.destroy());
    await Promise.all(clients.splice(0).map((one) => one.dispose()));
  });
  afterAll(() => supergraph.close());

  it(
    'pushes offline edits and resumes the stream without losing or repeating an update',
    async () => {
      const { documentId, people } = await sharedDocument(supergraph.url, 3);
      const network = flakyClient(supergraph.url, people[2]!.token);
      const steady = people.slice(0, 2).map((person) => wsClient(supergraph.url, person.token));
      clients.push(...steady, network.client);
      const [a, b, c] = [...steady, network.client].map((client, index) => {
        const joined = peer({
          client: reordering(client, seededRandom(SEED + 100 + index)),
          documentId,
        });
        peers.push(joined);
        return joined;
      }) as [Peer, Peer, Peer];
      await Promise.all(peers.map((one) => one.provider.whenSynced()));
      await Promise.all(
        peers.map((one, index) =>
          randomEdits(one, seededRandom(SEED + index), EDITS, 'abc'[index]!),
        ),
      );
      await converged(peers, 'the editors to converge before the drop');
      const before = c.provider.seq;

      const statuses: string[] = [];
      c.provider.on('status', ({ status }) => statuses.push(status));
      network.drop();
      await waitFor(() => !c.provider.synced, 'the dropped client to notice');
      // Everyone edits meanwhile, the dropped client offline.
      await Promise.all(
        [a, b, c].map((one, index) =>
          randomEdits(one, seededRandom(SEED + 10 + index), EDITS, 'xyz'[index]!),
        ),
      );
      expect(c.provider.synced).toBe(false);
      expect(c.provider.hasUnsyncedChanges).toBe(true);
      await converged([a, b], 'the connected editors to converge while one is offline');
      const missed = (await serverDocument(supergraph.url, people[0]!.token, documentId)).seq;
      expect(missed).toBeGreaterThan(before);

      network.restore();
      await converged(peers, 'all editors to converge after the reconnection');
      expect(statuses).toEqual(['disconnected', 'connecting', 'connected']);

      const server = await serverDocument(supergraph.url, people[0]!.token, documentId);
      expect(server.content).toBe(text(a));
      expect(server.stateVector).toBe(stateVector(a));
      const everySeq = Array.from({ length: server.seq }, (_, index) => index + 1);
      // The text converges once every edit is in; the stream may still be delivering the
      // last updates' numbers (one that repeats content the client already has from its sync).
      await waitFor(
        () => peers.every((one) => one.provider.seq === server.seq),
        'every editor to hold every seq',
      );
      for (const one of peers) {
        expect([...one.seqCounts.keys()].sort((x, y) => x - y)).toEqual(everySeq);
        expect([...one.seqCounts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
      }
    },
    LONG_TEST_MS,
  );
});
