// Mutation: create and update documents (optimistic concurrency by version), create
// visualizations; everything needs the scope ui:write.
import { codedError, notFound, parseInput, requireScope } from '@supergraph/kit';
import { findDocument, insertDocument, updateDocument } from '../db/documents.js';
import { insertVisualization } from '../db/visualizations.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';
import {
  createDocumentInput,
  createVisualizationInput,
  updateDocumentInput,
  WRITE_SCOPE,
} from '../inputs.js';

export const Mutation: MutationResolvers = {
  async createDocument(_parent, { input }, context) {
    const { userId } = requireScope(context, WRITE_SCOPE);
    const values = parseInput(createDocumentInput(context.maxDocumentBytes), input);
    const document = await insertDocument(context.db, { ...values, ownerId: userId });
    context.logger.info({ documentId: document.id }, 'document created');
    return document;
  },

  async updateDocument(_parent, { input }, context) {
    const { userId } = requireScope(context, WRITE_SCOPE);
    const change = parseInput(updateDocumentInput(context.maxDocumentBytes), input);
    if (change.title == null && change.content == null) {
      throw codedError('BAD_USER_INPUT', 'Give a title, a content or both to change.', {
        extensions: { field: 'input' },
      });
    }
    const updated = await updateDocument(context.db, { ...change, ownerId: userId });
    if (updated) return updated;

    // Nothing was written; find out why, from the table rather than this request's cache.
    const current = await findDocument(context.db, change.id);
    if (!current) throw notFound('Document', change.id);
    if (current.ownerId !== userId) {
      throw codedError('FORBIDDEN', `Only the owner may update document ${change.id}.`);
    }
    throw codedError(
      'CONFLICT',
      `Document ${change.id} is at version ${current.version}, not ${change.expectedVersion}; ` +
        'read it again and reapply the change.',
      { extensions: { field: 'input.expectedVersion', currentVersion: current.version } },
    );
  },

  async createVisualization(_parent, { input }, context) {
    const { userId } = requireScope(context, WRITE_SCOPE);
    const values = parseInput(createVisualizationInput, input);
    return insertVisualization(context.db, { ...values, ownerId: userId });
  },
};
