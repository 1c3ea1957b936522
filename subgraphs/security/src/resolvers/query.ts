// Query: the signed-in user and users by id.
import type { QueryResolvers } from '../generated/resolvers-types.js';

export const Query: QueryResolvers = {
  me: (_parent, _args, { identity, users }) => (identity ? users.load(identity.userId) : null),
  user: (_parent, { id }, { users }) => users.load(id),
};
