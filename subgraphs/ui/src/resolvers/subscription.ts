// Subscription: a document's updates (resumable by seq) and its presence; both end with
// FORBIDDEN when the caller's access is taken away.
import { badInput } from '@supergraph/kit';
import type { PresenceEventModel, UpdateEvent } from '../collab/events.js';
import { documentUpdateStream } from '../collab/update-stream.js';
import type { SubscriptionResolvers } from '../generated/resolvers-types.js';
import { documentFor } from './access.js';

export const Subscription: SubscriptionResolvers = {
  documentUpdates: {
    subscribe: async (_parent, { documentId, after }, context) => {
      const document = await documentFor(context, documentId, 'read');
      if (after != null && (after < 0 || after > document.seq)) {
        throw badInput(
          `after must be between 0 and the document's seq (${document.seq}).`,
          'after',
        );
      }
      return documentUpdateStream({
        db: context.db,
        pubsub: context.pubsub,
        documentId,
        after: after ?? document.seq,
        userId: document.userId,
        pollMs: context.collab.updatesPollMs,
      });
    },
    resolve: (event: UpdateEvent) => event,
  },
  documentPresence: {
    subscribe: async (_parent, { documentId, clientId }, context) => {
      const document = await documentFor(context, documentId, 'read');
      return context.presence.stream(documentId, document.userId, clientId);
    },
    resolve: (event: PresenceEventModel) => event,
  },
};
