// Subscription: a running execution's changes, for a UI that shows a tool live.
import { notFound, requireScope } from '@supergraph/kit';
import type { StreamEvent } from '../executions/service.js';
import type { SubscriptionResolvers } from '../generated/resolvers-types.js';
import { EXECUTE_SCOPE } from '../inputs.js';

export const Subscription: SubscriptionResolvers = {
  executionEvents: {
    subscribe: async (_parent, { id }, context) => {
      const identity = requireScope(context, EXECUTE_SCOPE);
      if (!(await context.executions.visible(identity, id))) throw notFound('Execution', id);
      return context.executions.stream(id);
    },
    resolve: (event: StreamEvent) => event,
  },
};
