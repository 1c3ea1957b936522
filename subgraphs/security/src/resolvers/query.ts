// Query: the signed-in user, users by id, the signed-in user's sessions, and (for
// administrators) the signing keys.
import { requireScope } from '@supergraph/kit';
import { liveSessions } from '../db/sessions.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';
import { signInRequired } from './mutation.js';

export const Query: QueryResolvers = {
  me: (_parent, _args, { identity, users }) => (identity ? users.load(identity.userId) : null),
  user: (_parent, { id }, { users }) => users.load(id),
  sessions: (_parent, _args, { identity, db }) => {
    if (!identity) throw signInRequired();
    return liveSessions(db, identity.userId);
  },
  signingKeys: (_parent, _args, context) => {
    requireScope(context, 'security:admin');
    return context.keys.published();
  },
};
