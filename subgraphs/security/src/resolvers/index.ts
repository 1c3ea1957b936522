import { scalarResolvers } from '@supergraph/kit';
import type { Resolvers } from '../generated/resolvers-types.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Session } from './session.js';
import { ssoMutation, ssoQuery } from './sso.js';
import { User } from './user.js';

export const resolvers: Resolvers = {
  DateTime: scalarResolvers.DateTime,
  Query: { ...Query, ...ssoQuery },
  Mutation: { ...Mutation, ...ssoMutation },
  User,
  Session,
};
