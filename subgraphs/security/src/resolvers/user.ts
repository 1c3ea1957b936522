// User: the entity other subgraphs reference by id.
import { hasScope } from '@supergraph/kit';
import type { UserResolvers } from '../generated/resolvers-types.js';

export const User: UserResolvers = {
  __resolveReference: ({ id }, context) => context.users.load(id),
  email: (user, _args, { identity, provenUserIds }) =>
    provenUserIds.has(user.id) ||
    (identity && (identity.userId === user.id || hasScope(identity, 'security:admin')))
      ? user.email
      : null,
  roles: (user, _args, context) => context.rolesOf.load(user.id),
};
