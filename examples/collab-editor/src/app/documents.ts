// The document operations the page runs over HTTP: list, create, open, share. Editing itself
// goes through the Yjs provider over graphql-ws (editor.ts).
import { graphqlRequest } from './graphql.js';
import type { Session } from './session.js';

export type DocumentRole = 'OWNER' | 'EDITOR' | 'VIEWER';

export interface DocumentSummary {
  id: string;
  title: string;
  role: DocumentRole;
}

const SUMMARY = 'id title role';

export interface DocumentsApi {
  list(): Promise<DocumentSummary[]>;
  create(title: string): Promise<DocumentSummary>;
  /** Null when there is no such document or it is not shared with the caller. */
  get(id: string): Promise<DocumentSummary | null>;
  share(id: string, userId: string, role: Exclude<DocumentRole, 'OWNER'>): Promise<void>;
}

export function documentsApi(routerUrl: string, session: Session): DocumentsApi {
  const call = async <TData>(query: string, variables?: Record<string, unknown>) =>
    graphqlRequest<TData>(routerUrl, query, variables, await session.token());
  return {
    async list() {
      const { documents } = await call<{ documents: DocumentSummary[] }>(
        `query Documents { documents(first: 20) { ${SUMMARY} } }`,
      );
      return documents;
    },
    async create(title) {
      const { createDocument } = await call<{ createDocument: DocumentSummary }>(
        `mutation CreateDocument($input: CreateDocumentInput!) {
          createDocument(input: $input) { ${SUMMARY} }
        }`,
        { input: { title, content: '' } },
      );
      return createDocument;
    },
    async get(id) {
      const { document } = await call<{ document: DocumentSummary | null }>(
        `query Document($id: ID!) { document(id: $id) { ${SUMMARY} } }`,
        { id },
      );
      return document;
    },
    async share(id, userId, role) {
      await call(
        `mutation ShareDocument($input: ShareInput!) {
          shareDocument(input: $input) { role }
        }`,
        { input: { id, userId, role } },
      );
    },
  };
}
