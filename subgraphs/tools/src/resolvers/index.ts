import { scalarResolvers } from '@supergraph/kit';
import type { Resolvers } from '../generated/resolvers-types.js';
import { Execution, ExecutionEvent } from './execution.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Subscription } from './subscription.js';
import { McpServer, Tool } from './tool.js';

// User needs no resolvers: it is a stub (resolvable: false) that others reference.
export const resolvers: Resolvers = {
  DateTime: scalarResolvers.DateTime,
  JSON: scalarResolvers.JSON,
  Query,
  Mutation,
  Subscription,
  Tool,
  McpServer,
  Execution,
  ExecutionEvent,
};
