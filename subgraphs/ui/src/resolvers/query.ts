// Query: the caller's documents and visualizations; everything needs the scope ui:read.
import { requireScope } from '@supergraph/kit';
import { listDocumentsOf } from '../db/documents.js';
import { listVisualizationsOf } from '../db/visualizations.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';
import { pageSize, READ_SCOPE } from '../inputs.js';
import { ownDocument } from './document.js';

export const Query: QueryResolvers = {
  document: (_parent, { id }, context) => ownDocument(context, id),
  documents(_parent, { first }, context) {
    const { userId } = requireScope(context, READ_SCOPE);
    return listDocumentsOf(context.db, userId, pageSize(first));
  },
  visualization(_parent, { id }, context) {
    requireScope(context, READ_SCOPE);
    return context.visualizations.load(id);
  },
  visualizations(_parent, { first }, context) {
    const { userId } = requireScope(context, READ_SCOPE);
    return listVisualizationsOf(context.db, userId, pageSize(first));
  },
};
