import { scalarResolvers } from '@supergraph/kit';
import type { Resolvers } from '../generated/resolvers-types.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Tool } from './tool.js';

// User needs no resolvers: it is a stub (resolvable: false) that Tool.createdBy references.
export const resolvers: Resolvers = {
  DateTime: scalarResolvers.DateTime,
  JSON: scalarResolvers.JSON,
  Query,
  Mutation,
  Tool,
};
