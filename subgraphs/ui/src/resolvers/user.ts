// User: owned by the security subgraph; this subgraph adds what the user made here.
import { requireScope } from '@supergraph/kit';
import type { UserResolvers } from '../generated/resolvers-types.js';
import { READ_SCOPE } from '../inputs.js';

export const User: UserResolvers = {
  // Nothing to look up: any id is a user as far as this subgraph knows, with maybe no documents.
  __resolveReference: ({ id }) => ({ id }),
  async documents(user, _args, context) {
    const { userId } = requireScope(context, READ_SCOPE);
    // Documents are private: someone else's list is empty rather than an error, so one
    // user's page can still show another user's public parts.
    return userId === user.id ? context.documentsOf.load(user.id) : [];
  },
  visualizations(user, _args, context) {
    requireScope(context, READ_SCOPE);
    return context.visualizationsOf.load(user.id);
  },
};
