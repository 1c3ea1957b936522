import { scalarResolvers } from '@supergraph/kit';
import type { Resolvers } from '../generated/resolvers-types.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Session } from './session.js';
import { User } from './user.js';
import { PasskeyMutation, PasskeyQuery } from './passkeys.js';

export const resolvers: Resolvers = {
  DateTime: scalarResolvers.DateTime,
  Query: { ...Query, ...PasskeyQuery },
  Mutation: { ...Mutation, ...PasskeyMutation },
  User,
  Session,
  JSON: scalarResolvers.JSON,
};
