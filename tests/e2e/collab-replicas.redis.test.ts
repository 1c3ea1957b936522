// Two ui replicas on one PostgreSQL database and the machine's Redis: clients writing through
// different replicas get one gapless sequence and converge, and presence crosses replicas.
import * as Y from 'yjs';
import type { Client } from 'graphql-ws';
import { createTestDatabase, graphql, waitFor } from '@supergraph/kit/testing';
import * as uiConfig from '../../subgraphs/ui/src/config.js';
import { createUiSubgraph } from '../../subgraphs/ui/src/subgraph.js';
import { APPLY, createDocument, edit, fromB64, READ, syncedDoc } from '../collab.js';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import { subscribeWs, wsClient, type Received } from '../realtime.js';

const DATABASE_SERVER = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const UPDATES =
  'subscription($id: ID!, $after: Int) { documentUpdates(documentId: $id, after: $after) { seq update clientId } }';
const PRESENCE =
  'subscription($id: ID!, $client: String) { documentPresence(documentId: $id, clientId: $client) { change clientId state } }';
const SET = 'mutation($input: DocumentPresenceInput!) { setDocumentPresence(input: $input) }';
const EDITS = 40;

describe('ui replicas through Redis', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let supergraph: Supergraph;
  let replica: Awaited<ReturnType<typeof createUiSubgraph>>;
  let replicaUrl: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_SERVER, 'sg_collab');
    const env = { REDIS_URL, UI_DATABASE_URL: database.url };
    supergraph = await startSupergraph({ env });
    replica = await createUiSubgraph(
      uiConfig.parseConfig({
        ...env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: '0',
        SECURITY_JWKS_URL: supergraph.subgraphUrls.security.replace(
          '/graphql',
          '/.well-known/jwks.json',
        ),
      }),
    );
    replicaUrl = (await replica.listen()).url;
  }, 180_000);
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await replica?.close();
    await supergraph?.close();
    await database?.drop();
  });

  const seqs = (received: Received) =>
    received.results.map((result) => result.data!['documentUpdates'].seq as number);

  it('gives writers on both replicas one gapless sequence, and their clients converge', async () => {
    const { token } = await signUp(supergraph.url);
    const id = await createDocument(supergraph.url, token, 'start');
    const viaRouter = wsClient(supergraph.url, token); // the router sends ui to replica 1
    const direct = wsClient(replicaUrl, token); // replica 2
    clients.push(viaRouter, direct);
    const one = subscribeWs(viaRouter, { query: UPDATES, variables: { id, after: 1 } });
    const two = subscribeWs(direct, { query: UPDATES, variables: { id, after: 1 } });

    const writer = async (url: string) => {
      const doc = await syncedDoc(url, token, id);
      for (let i = 0; i < EDITS; i += 1) {
        const update = edit(doc, (text) =>
          text.insert(Math.floor(Math.random() * (text.length + 1)), `${i % 10}`),
        );
        const result = await graphql(url, {
          query: APPLY,
          variables: {
            input: { documentId: id, clientId: String(doc.clientID), updates: [update] },
          },
          token,
        });
        expect(result.errors).toBeUndefined();
      }
    };
    await Promise.all([writer(supergraph.url), writer(replicaUrl)]);
    const total = 2 * EDITS;
    await waitFor(
      () => one.results.length >= total && two.results.length >= total,
      'every update on both replicas',
      60_000,
    );
    const expected = Array.from({ length: total }, (_, i) => i + 2);
    expect(seqs(one)).toEqual(expected);
    expect(seqs(two)).toEqual(expected);

    const docs = [
      await syncedDoc(supergraph.url, token, id),
      await syncedDoc(replicaUrl, token, id),
    ];
    const fromStream = new Y.Doc();
    Y.applyUpdate(fromStream, Y.encodeStateAsUpdate(await syncedDoc(supergraph.url, token, id)));
    for (const result of two.results)
      Y.applyUpdate(fromStream, fromB64(result.data!['documentUpdates'].update));
    const content = (
      (await graphql(replicaUrl, { query: READ, variables: { id }, token })).data as any
    ).document.content;
    expect(content).toHaveLength('start'.length + total);
    for (const doc of [...docs, fromStream]) {
      expect(doc.getText('content').toString()).toBe(content);
      expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(docs[0]!));
    }
  }, 120_000);

  it('carries presence across replicas, and a disconnect leaves on the other', async () => {
    const { token } = await signUp(supergraph.url);
    const id = await createDocument(supergraph.url, token, 'presence');
    const viaRouter = wsClient(supergraph.url, token);
    const direct = wsClient(replicaUrl, token);
    clients.push(viaRouter, direct);
    const seenOnOne = subscribeWs(viaRouter, { query: PRESENCE, variables: { id, client: 'one' } });
    const seenOnTwo = subscribeWs(direct, { query: PRESENCE, variables: { id, client: 'two' } });
    const set = (url: string, clientId: string, state: unknown) =>
      graphql(url, {
        query: SET,
        variables: { input: { documentId: id, clientId, state } },
        token,
      });
    const saw = (received: Received, change: string, clientId: string) =>
      received.results.some((result) => {
        const event = result.data?.['documentPresence'];
        return event?.change === change && event.clientId === clientId;
      });
    // Redis subscribes asynchronously: set again until the other replica has heard it.
    await waitFor(async () => {
      await set(replicaUrl, 'two', { name: 'on two' });
      return saw(seenOnOne, 'JOIN', 'two');
    }, 'presence set on replica 2 seen through replica 1');
    await waitFor(async () => {
      await set(supergraph.url, 'one', { name: 'on one' });
      return saw(seenOnTwo, 'JOIN', 'one');
    }, 'presence set through replica 1 seen on replica 2');
    seenOnTwo.unsubscribe();
    await waitFor(() => saw(seenOnOne, 'LEAVE', 'two'), 'the leave of a client of replica 2');
  }, 120_000);
});
