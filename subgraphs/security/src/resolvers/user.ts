// User: the entity other subgraphs reference by id.
import { hasScope } from '@supergraph/kit';
import type { SecurityContext } from '../context.js';
import type { UserResolvers } from '../generated/resolvers-types.js';

/** Whether the caller is this user, or an administrator (who may see any user's details). */
const selfOrAdmin = (userId: string, { identity }: Pick<SecurityContext, 'identity'>) =>
  !!identity && (identity.userId === userId || hasScope(identity, 'security:admin'));

export const User: UserResolvers = {
  __resolveReference: ({ id }, context) => context.users.load(id),
  email: (user, _args, context) =>
    context.provenUserIds.has(user.id) || selfOrAdmin(user.id, context) ? user.email : null,
  emailVerified: (user, _args, context) =>
    context.provenUserIds.has(user.id) || selfOrAdmin(user.id, context)
      ? user.emailVerifiedAt !== null
      : null,
  // Roles tell an attacker whom to aim at (the admins): only the user and admins see them.
  roles: (user, _args, context) =>
    context.provenUserIds.has(user.id) || selfOrAdmin(user.id, context)
      ? context.rolesOf.load(user.id)
      : null,
};
