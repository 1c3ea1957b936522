// Helpers of the tests of @supergraph/collab-client through the router: documents shared between
// users, graphql-ws clients whose network reorders events or drops, seeded random edits, and
// providers (peers) to wait on.
import { graphql, waitFor } from '@supergraph/kit/testing';
import { CollabProvider, type CollabProviderOptions } from '@supergraph/collab-client';
import {
  createClient,
  type Client,
  type FormattedExecutionResult,
  type Sink,
  type SubscribePayload,
} from 'graphql-ws';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { signUp } from './harness.js';
import { websocketUrl } from './realtime.js';

/** mulberry32: a small seeded generator, so that a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The owner's new empty document, shared as EDITOR with every other user. */
export async function sharedDocument(url: string, users: number) {
  const people = await Promise.all(Array.from({ length: users }, () => signUp(url)));
  const [owner, ...others] = people;
  const created = await graphql(url, {
    query: 'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
    variables: { input: { title: 'collab test', content: '' } },
    token: owner!.token,
  });
  if (!created.data) throw new Error(`createDocument failed: ${JSON.stringify(created.errors)}`);
  const documentId: string = created.data.createDocument.id;
  for (const other of others) {
    const shared = await graphql(url, {
      query: 'mutation($input: ShareInput!) { shareDocument(input: $input) { role } }',
      variables: { input: { id: documentId, userId: other.userId, role: 'EDITOR' } },
      token: owner!.token,
    });
    if (!shared.data) throw new Error(`shareDocument failed: ${JSON.stringify(shared.errors)}`);
  }
  return { documentId, people };
}

/** What the server holds: the plain text, the latest seq and the state vector. */
export async function serverDocument(url: string, token: string, documentId: string) {
  const result = await graphql(url, {
    query: `query($id: ID!) {
      document(id: $id) { content seq }
      documentSync(id: $id) { stateVector }
    }`,
    variables: { id: documentId },
    token,
  });
  if (!result.data?.document) throw new Error(`document failed: ${JSON.stringify(result)}`);
  return {
    content: result.data.document.content as string,
    seq: result.data.document.seq as number,
    stateVector: result.data.documentSync.stateVector as string,
  };
}

/**
 * A graphql-ws client (retrying for ever, as an app's would) on a network that can drop: drop()
 * cuts the socket and holds every reconnection until restore().
 */
export function flakyClient(url: string, token: string) {
  let online: Promise<void> = Promise.resolve();
  let goOnline = () => {};
  const client = createClient({
    url: async () => {
      await online;
      return websocketUrl(url);
    },
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Infinity,
    // graphql-ws's own backoff, kept short so that a restored network is used soon.
    retryWait: () => new Promise((resolve) => setTimeout(resolve, 20)),
  });
  return {
    client,
    drop() {
      online = new Promise((resolve) => (goOnline = resolve));
      client.terminate();
    },
    restore: () => goOnline(),
  };
}

/**
 * The client with a network that reorders: each subscription event (and the end of the
 * stream) is delivered after a random delay of up to maxDelayMs, so they overtake each other.
 */
export function reordering(client: Client, random: () => number, maxDelayMs = 25): Client {
  const subscribe = (
    payload: SubscribePayload,
    sink: Sink<FormattedExecutionResult<Record<string, unknown>, unknown>>,
  ) => {
    if (!/^\s*subscription\b/.test(payload.query)) return client.subscribe(payload, sink);
    const later = (deliver: () => void) => setTimeout(deliver, random() * maxDelayMs);
    return client.subscribe(payload, {
      next: (value) => later(() => sink.next(value)),
      error: (error) => later(() => sink.error(error)),
      complete: () => later(() => sink.complete()),
    });
  };
  return { ...client, subscribe } as Client;
}

export interface Peer {
  doc: Y.Doc;
  provider: CollabProvider;
  /** How many times each seq reached the provider (by sync or by event). */
  seqCounts: Map<number, number>;
}

/** A provider on a fresh Y.Doc, counting the seqs it takes in. */
export function peer(options: Omit<CollabProviderOptions, 'doc'>): Peer {
  const doc = new Y.Doc();
  const provider = new CollabProvider({ ...options, doc });
  const seqCounts = new Map<number, number>();
  provider.on('sequence', ({ seqs }) => {
    for (const seq of seqs) seqCounts.set(seq, (seqCounts.get(seq) ?? 0) + 1);
  });
  return { doc, provider, seqCounts };
}

export const text = (peer: Peer) => peer.doc.getText('content').toString();
export const stateVector = (peer: Peer) =>
  Buffer.from(Y.encodeStateVector(peer.doc)).toString('base64');

/**
 * n random edits of the text, inserts and deletes at random places, with a random pause
 * between some of them (a person typing), so that remote updates arrive in between.
 */
export async function randomEdits(peer: Peer, random: () => number, n: number, tag: string) {
  const content = peer.doc.getText('content');
  for (let i = 0; i < n; i += 1) {
    const length = content.length;
    if (length > 0 && random() < 0.35) {
      const index = Math.floor(random() * length);
      content.delete(index, Math.min(length - index, 1 + Math.floor(random() * 3)));
    } else {
      content.insert(Math.floor(random() * (length + 1)), `${tag}${i % 10}`);
    }
    if (random() < 0.5) await new Promise((resolve) => setTimeout(resolve, random() * 4));
  }
}

/** Waits until every peer has sent everything and holds the same text and state vector. */
export async function converged(peers: Peer[], what = 'the peers to converge', timeoutMs = 60_000) {
  await waitFor(
    () =>
      peers.every(
        (one) =>
          one.provider.synced &&
          !one.provider.hasUnsyncedChanges &&
          text(one) === text(peers[0]!) &&
          stateVector(one) === stateVector(peers[0]!),
      ),
    what,
    timeoutMs,
  );
}
