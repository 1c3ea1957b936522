// Mutation: documents (created, changed as Yjs updates from clients or as server-side text
// edits, versioned, restored, shared) and visualizations (created, shared). Every change of a
// document's text goes through the store, which stores it before this answers.
import * as Y from 'yjs';
import { badInput, codedError, notFound, parseInput, requireScope } from '@supergraph/kit';
import { decodeUpdate, replaceText, captureUpdate, textOf, TEXT } from '../collab/codec.js';
import { REVOKED } from '../collab/events.js';
import { deleteShare, upsertShare } from '../db/access.js';
import { insertDocument } from '../db/documents.js';
import { findVersion } from '../db/updates.js';
import { insertVisualization } from '../db/visualizations.js';
import type { UiContext } from '../context.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';
import {
  applyUpdatesInput,
  createDocumentInput,
  createVisualizationInput,
  editTextInput,
  presenceInput,
  shareInput,
  updateDocumentInput,
  versionName,
  WRITE_SCOPE,
} from '../inputs.js';
import { documentFor } from './access.js';

export const Mutation: MutationResolvers = {
  async createDocument(_parent, { input }, context) {
    const { userId } = requireScope(context, WRITE_SCOPE);
    const values = parseInput(createDocumentInput(context.maxDocumentBytes), input);
    const document = await insertDocument(context.db, { ...values, ownerId: userId });
    context.logger.info({ documentId: document.id }, 'document created');
    return document;
  },

  async updateDocument(_parent, { input }, context) {
    const change = parseInput(updateDocumentInput(context.maxDocumentBytes), input);
    if (change.title == null && change.content == null) {
      throw codedError('BAD_USER_INPUT', 'Give a title, a content or both to change.', {
        extensions: { field: 'input' },
      });
    }
    const { userId } = await documentFor(context, change.id, 'write', 'input.id');
    await context.store.write(change.id, {
      author: userId,
      clientId: null,
      expectedVersion: change.expectedVersion,
      title: change.title,
      apply: (doc) =>
        change.content == null
          ? undefined
          : captureUpdate(doc, () => replaceText(doc, change.content!)),
    });
    context.documents.clear(change.id);
    return (await context.documents.load(change.id))!;
  },

  async applyDocumentUpdates(_parent, { input }, context) {
    const { documentId, clientId, updates } = parseInput(applyUpdatesInput, input);
    const maxBytes = context.collab.maxUpdateBytes;
    const decoded = updates.map((update, index) =>
      decodeUpdate(update, `input.updates.${index}`, maxBytes),
    );
    const { userId } = await documentFor(context, documentId, 'write', 'input.documentId');
    const { seq } = await context.store.write(documentId, {
      author: userId,
      clientId,
      apply(doc) {
        const merged = decoded.length === 1 ? decoded[0]! : Y.mergeUpdates(decoded);
        Y.applyUpdate(doc, merged);
        return merged;
      },
    });
    return { documentId, seq };
  },

  async editDocumentText(_parent, { input }, context) {
    const edit = parseInput(editTextInput(context.maxDocumentBytes), input);
    const { userId } = await documentFor(context, edit.documentId, 'write', 'input.documentId');
    const { seq } = await context.store.write(edit.documentId, {
      author: userId,
      clientId: null,
      apply: (doc) => {
        const text = doc.getText(TEXT);
        const removed = edit.delete ?? 0;
        if (edit.index + removed > text.length) {
          throw badInput(
            `index + delete (${edit.index + removed}) is beyond the text's length (${text.length}).`,
            'input.index',
          );
        }
        return captureUpdate(doc, () => {
          if (removed) text.delete(edit.index, removed);
          if (edit.insert) text.insert(edit.index, edit.insert);
        });
      },
    });
    return { documentId: edit.documentId, seq };
  },

  async createDocumentVersion(_parent, { documentId, name }, context) {
    const values = parseInput(versionName, { name }, 'name');
    const { userId } = await documentFor(context, documentId, 'write');
    return context.store.saveVersion(documentId, values.name, userId);
  },

  async restoreDocumentVersion(_parent, { id }, context) {
    requireScope(context, WRITE_SCOPE);
    const version = await findVersion(context.db, id);
    if (!version || !(await context.documents.load(version.documentId))) {
      throw notFound('DocumentVersion', id, 'id');
    }
    const { userId } = await documentFor(context, version.documentId, 'write', 'id');
    const old = new Y.Doc();
    Y.applyUpdate(old, version.state);
    const target = textOf(old);
    const { seq } = await context.store.write(version.documentId, {
      author: userId,
      clientId: null,
      apply: (doc) => captureUpdate(doc, () => replaceText(doc, target)),
    });
    context.logger.info({ documentId: version.documentId, versionId: id, seq }, 'version restored');
    return { documentId: version.documentId, seq };
  },

  async setDocumentPresence(_parent, { input }, context) {
    const { documentId, clientId, state } = parseInput(presenceInput, input);
    const { userId } = await documentFor(context, documentId, 'read', 'input.documentId');
    context.presence.set(documentId, clientId, userId, state);
    return true;
  },

  async shareDocument(_parent, { input }, context) {
    const share = parseInput(shareInput, input);
    const document = await documentFor(context, share.id, 'owner', 'input.id');
    if (share.userId === document.ownerId)
      throw badInput('The owner already has the document.', 'input.userId');
    return upsertShare(context.db, {
      kind: 'DOCUMENT',
      resourceId: share.id,
      userId: share.userId,
      role: share.role,
    });
  },

  async unshareDocument(_parent, { id, userId }, context) {
    await documentFor(context, id, 'owner', 'id');
    const removed = await deleteShare(context.db, 'DOCUMENT', id, userId);
    // Open subscriptions end on every replica, whether or not the share was still there.
    context.pubsub.publish(REVOKED, id, { documentId: id, userId });
    return removed;
  },

  async createVisualization(_parent, { input }, context) {
    const { userId } = requireScope(context, WRITE_SCOPE);
    const values = parseInput(createVisualizationInput, input);
    return insertVisualization(context.db, { ...values, ownerId: userId });
  },

  async shareVisualization(_parent, { input }, context) {
    const share = parseInput(shareInput, input);
    const visualization = await ownVisualization(context, share.id, 'input.id');
    if (share.userId === visualization.ownerId)
      throw badInput('The owner already has the visualization.', 'input.userId');
    return upsertShare(context.db, {
      kind: 'VISUALIZATION',
      resourceId: share.id,
      userId: share.userId,
      role: share.role,
    });
  },

  async unshareVisualization(_parent, { id, userId }, context) {
    await ownVisualization(context, id, 'id');
    return deleteShare(context.db, 'VISUALIZATION', id, userId);
  },
};

async function ownVisualization(context: UiContext, id: string, field: string) {
  requireScope(context, WRITE_SCOPE);
  const visualization = await context.visualizations.load(id);
  if (!visualization) throw notFound('Visualization', id, field);
  if (visualization.role !== 'OWNER') {
    throw codedError('FORBIDDEN', `Only the owner of visualization ${id} may share it.`);
  }
  return visualization;
}
