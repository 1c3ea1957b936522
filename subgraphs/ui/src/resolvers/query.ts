// Query: documents and visualizations the caller may see, a document's sync state and its
// versions; everything needs the scope ui:read.
import * as Y from 'yjs';
import { requireScope } from '@supergraph/kit';
import { decodeStateVector, toBase64 } from '../collab/codec.js';
import { documentsVisibleTo, visualizationsVisibleTo } from '../db/access.js';
import { findVersion } from '../db/updates.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';
import { pageSize, READ_SCOPE } from '../inputs.js';
import { documentFor } from './access.js';

export const Query: QueryResolvers = {
  document(_parent, { id }, context) {
    requireScope(context, READ_SCOPE);
    return context.documents.load(id);
  },
  documents(_parent, { first }, context) {
    const { userId } = requireScope(context, READ_SCOPE);
    return documentsVisibleTo(context.db, userId, pageSize(first));
  },
  async documentSync(_parent, { id, stateVector }, context) {
    const vector = decodeStateVector(stateVector, 'stateVector');
    await documentFor(context, id, 'read', 'id');
    return context.store.read(id, (doc, seq) => ({
      documentId: id,
      update: toBase64(Y.encodeStateAsUpdate(doc, vector)),
      stateVector: toBase64(Y.encodeStateVector(doc)),
      seq,
    }));
  },
  async documentVersion(_parent, { id }, context) {
    requireScope(context, READ_SCOPE);
    const version = await findVersion(context.db, id);
    if (!version || !(await context.documents.load(version.documentId))) return null;
    return version;
  },
  visualization(_parent, { id }, context) {
    requireScope(context, READ_SCOPE);
    return context.visualizations.load(id);
  },
  visualizations(_parent, { first }, context) {
    const { userId } = requireScope(context, READ_SCOPE);
    return visualizationsVisibleTo(context.db, userId, pageSize(first));
  },
};
