// A ui subgraph on port 0 with a test issuer, and what the collaboration tests do with it:
// GraphQL calls, graphql-ws subscriptions, Yjs documents that talk to it.
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { testSubgraphConfig } from '@supergraph/kit';
import { createTestIssuer, graphql } from '@supergraph/kit/testing';
import { parseConfig, type UiConfig } from '../src/config.js';
import { createUiSubgraph } from '../src/subgraph.js';

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
export const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

export const SYNC = `query($id: ID!, $sv: String) { documentSync(id: $id, stateVector: $sv) { update stateVector seq } }`;
export const APPLY = `mutation($input: ApplyDocumentUpdatesInput!) { applyDocumentUpdates(input: $input) { seq } }`;
export const UPDATES = `subscription($id: ID!, $after: Int) { documentUpdates(documentId: $id, after: $after) { seq update clientId author { id } } }`;
export const READ = `query($id: ID!) { document(id: $id) { content seq version role } }`;

export interface UpdateSeen {
  seq: number;
  update: string;
  clientId: string | null;
  author: { id: string };
}

export async function startCollab(
  collab: Partial<UiConfig['collab']> = {},
  more: Partial<UiConfig> = {},
) {
  const issuer = await createTestIssuer();
  const config: UiConfig = {
    ...testSubgraphConfig('ui'),
    maxDocumentBytes: 64 * 1024,
    collab: { ...parseConfig({}).collab, ...collab },
    ...more,
  };
  const subgraph = await createUiSubgraph(config, { verifier: issuer.verifier });
  const wsUrl = (await subgraph.listen(0)).url.replace('http', 'ws');
  const clients: Client[] = [];

  const user = async () => {
    const id = randomUUID();
    const token = await issuer.token(id, ['ui:read', 'ui:write']);
    const call = (query: string, variables: Record<string, unknown> = {}) =>
      graphql(subgraph.yoga, { query, variables, token });
    return { id, token, call };
  };

  /** A graphql-ws subscription; events and the end (error or complete) are recorded. */
  const subscribe = <T>(
    token: string,
    query: string,
    variables: Record<string, unknown>,
    pick: (data: any) => T,
  ) => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
    });
    clients.push(client);
    const events: T[] = [];
    const ended: { errors?: readonly { extensions?: Record<string, unknown> }[]; complete?: true } =
      {};
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) ended.errors = result.errors as never;
          else events.push(pick(result.data));
        },
        error: (error) =>
          (ended.errors = Array.isArray(error) ? error : [{ extensions: { code: String(error) } }]),
        complete: () => (ended.complete = true),
      },
    );
    return { events, ended, dispose, client };
  };

  return {
    subgraph,
    config,
    user,
    subscribe,
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
      await subgraph.close();
    },
  };
}

export type Collab = Awaited<ReturnType<typeof startCollab>>;
export type TestUser = Awaited<ReturnType<Collab['user']>>;

/** A Y.Doc synced from the server by the API (no provider): what a client does by hand. */
export async function syncedDoc(user: TestUser, documentId: string) {
  const doc = new Y.Doc();
  const result = await user.call(SYNC, { id: documentId });
  expect(result.errors).toBeUndefined();
  Y.applyUpdate(doc, fromB64(result.data!.documentSync.update));
  return { doc, seq: result.data!.documentSync.seq as number };
}

/** Makes an edit in doc and returns the update it made, base64. */
export function edit(doc: Y.Doc, change: (text: Y.Text) => void): string {
  let update: Uint8Array | undefined;
  const listener = (bytes: Uint8Array) => void (update = bytes);
  doc.on('update', listener);
  doc.transact(() => change(doc.getText('content')));
  doc.off('update', listener);
  return b64(update!);
}

export async function createDocument(user: TestUser, content: string, title = 'Doc') {
  const result = await user.call(
    'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id seq } }',
    { input: { title, content } },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.createDocument as { id: string; seq: number };
}

export async function share(
  owner: TestUser,
  documentId: string,
  userId: string,
  role: 'EDITOR' | 'VIEWER',
) {
  const result = await owner.call(
    'mutation($input: ShareInput!) { shareDocument(input: $input) { role } }',
    { input: { id: documentId, userId, role } },
  );
  expect(result.errors).toBeUndefined();
}
