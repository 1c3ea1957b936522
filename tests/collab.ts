// What the collaboration tests through the router share: the operations of the ui
// subgraph's Yjs API, and a Y.Doc edited and synced by hand (without the provider package).
import * as Y from 'yjs';
import { graphql } from '@supergraph/kit/testing';
import { fromB64 } from '../subgraphs/ui/test/collab-setup.js';

export { b64, edit, fromB64 } from '../subgraphs/ui/test/collab-setup.js';

export const CREATE_DOCUMENT = `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`;
export const SYNC = `query($id: ID!, $sv: String) { documentSync(id: $id, stateVector: $sv) { update stateVector seq } }`;
export const APPLY = `mutation($input: ApplyDocumentUpdatesInput!) { applyDocumentUpdates(input: $input) { seq } }`;
export const READ = `query($id: ID!) { document(id: $id) { content seq } }`;

export async function createDocument(url: string, token: string, content = '') {
  const result = await graphql(url, {
    query: CREATE_DOCUMENT,
    variables: { input: { title: 'Doc', content } },
    token,
  });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return (result.data as { createDocument: { id: string } }).createDocument.id;
}

/** A Y.Doc loaded from the server. */
export async function syncedDoc(url: string, token: string, id: string) {
  const result = await graphql(url, { query: SYNC, variables: { id }, token });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  const doc = new Y.Doc();
  Y.applyUpdate(doc, fromB64((result.data as any).documentSync.update));
  return doc;
}
