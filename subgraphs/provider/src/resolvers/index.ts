import { scalarResolvers } from '@supergraph/kit';
import type { Resolvers } from '../generated/resolvers-types.js';
import { Completion, CompletionChunk, CompletionEvent, FallbackAttempt } from './completion.js';
import { Model } from './model.js';
import { Mutation } from './mutation.js';
import { Provider } from './provider.js';
import { Query } from './query.js';
import { Subscription } from './subscription.js';

export const resolvers: Resolvers = {
  DateTime: scalarResolvers.DateTime,
  Query,
  Mutation,
  Subscription,
  Provider,
  Model,
  Completion,
  CompletionChunk,
  CompletionEvent,
  FallbackAttempt,
};
