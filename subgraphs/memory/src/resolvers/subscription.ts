// Subscription: the caller's memory events, of one fold or of all.
import { requireScope } from '@supergraph/kit';
import type { MemoryChange } from '../db/writes.js';
import { EVENT, topicOf } from '../events.js';
import type { SubscriptionResolvers } from '../generated/resolvers-types.js';
import { reference } from '../inputs.js';

export const Subscription: SubscriptionResolvers = {
  memoryEvents: {
    subscribe: (_parent, { foldId }, context) => {
      const { userId } = requireScope(context, 'memory:read');
      return context.pubsub.subscribe(EVENT, topicOf(userId, reference('Fold', 'foldId', foldId)));
    },
    resolve: (change: MemoryChange) => change,
  },
};
