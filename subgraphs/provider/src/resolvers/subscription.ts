// Subscription: a streamed completion. The generator's return() (the client unsubscribed or
// disconnected) aborts the upstream request.
import { requireScope } from '@supergraph/kit';
import { completeStream, type CompletionChunk } from '../completions.js';
import { COMPLETION_EVENT, type UsageRecord } from '../db/usage.js';
import type { SubscriptionResolvers } from '../generated/resolvers-types.js';
import { completionInput } from '../inputs.js';

export const Subscription: SubscriptionResolvers = {
  completionStream: {
    subscribe: (_parent, { input }, context) => {
      const { userId } = requireScope(context, 'provider:complete');
      return completeStream(context, userId, completionInput(input));
    },
    resolve: (chunk: CompletionChunk) => chunk,
  },
  completionEvents: {
    subscribe: (_parent, _args, context) =>
      context.pubsub.subscribe(COMPLETION_EVENT, requireScope(context, 'provider:read').userId),
    resolve: (event: UsageRecord) => event,
  },
};
