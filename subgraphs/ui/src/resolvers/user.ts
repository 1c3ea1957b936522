// User: owned by the security subgraph; this subgraph adds what the user made or was given.
import { requireScope } from '@supergraph/kit';
import { documentsVisibleTo, visualizationsVisibleTo } from '../db/access.js';
import type { UserResolvers } from '../generated/resolvers-types.js';
import { MAX_PAGE, READ_SCOPE } from '../inputs.js';

export const User: UserResolvers = {
  // Nothing to look up: any id is a user as far as this subgraph knows, with maybe no documents.
  __resolveReference: ({ id }) => ({ id }),
  // Private lists: someone else's is empty rather than an error, so one user's page can still
  // show another user's public parts.
  async documents(user, _args, context) {
    const { userId } = requireScope(context, READ_SCOPE);
    return userId === user.id ? documentsVisibleTo(context.db, userId, MAX_PAGE) : [];
  },
  async visualizations(user, _args, context) {
    const { userId } = requireScope(context, READ_SCOPE);
    return userId === user.id ? visualizationsVisibleTo(context.db, userId, MAX_PAGE) : [];
  },
};
