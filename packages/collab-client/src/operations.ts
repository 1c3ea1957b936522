// The GraphQL operations the provider sends through the router. Marked with the GraphQL magic
// comment so that `npm run trusted-documents` finds them for a router that runs trusted
// documents only. Only `{ id }` of users is selected (see the contract): no event makes the
// router fetch the security subgraph.

export const DOCUMENT_SYNC = /* GraphQL */ `
  query CollabDocumentSync($id: ID!, $stateVector: String) {
    documentSync(id: $id, stateVector: $stateVector) {
      update
      stateVector
      seq
    }
  }
`;

export const APPLY_DOCUMENT_UPDATES = /* GraphQL */ `
  mutation CollabApplyDocumentUpdates($input: ApplyDocumentUpdatesInput!) {
    applyDocumentUpdates(input: $input) {
      seq
    }
  }
`;

export const DOCUMENT_UPDATES = /* GraphQL */ `
  subscription CollabDocumentUpdates($documentId: ID!, $after: Int) {
    documentUpdates(documentId: $documentId, after: $after) {
      seq
      update
      clientId
    }
  }
`;

export const SET_DOCUMENT_PRESENCE = /* GraphQL */ `
  mutation CollabSetDocumentPresence($input: DocumentPresenceInput!) {
    setDocumentPresence(input: $input)
  }
`;

export const DOCUMENT_PRESENCE = /* GraphQL */ `
  subscription CollabDocumentPresence($documentId: ID!, $clientId: String) {
    documentPresence(documentId: $documentId, clientId: $clientId) {
      change
      clientId
      state
    }
  }
`;

export interface DocumentSyncData {
  documentSync: { update: string; stateVector: string; seq: number };
}
export interface ApplyDocumentUpdatesData {
  applyDocumentUpdates: { seq: number };
}
export interface DocumentUpdatesData {
  documentUpdates: { seq: number; update: string; clientId: string | null };
}
export interface DocumentPresenceData {
  documentPresence: {
    change: 'JOIN' | 'UPDATE' | 'LEAVE';
    clientId: string;
    state: Record<string, unknown> | null;
  };
}
