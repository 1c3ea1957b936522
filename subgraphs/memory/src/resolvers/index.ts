import { scalarResolvers } from '@supergraph/kit';
import type { Resolvers } from '../generated/resolvers-types.js';
import { ContextSentence } from './context-sentence.js';
import { Fold } from './fold.js';
import { Memory } from './memory.js';
import { MemoryEvent } from './memory-event.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Subscription } from './subscription.js';
import { Topic } from './topic.js';

export const resolvers: Resolvers = {
  DateTime: scalarResolvers.DateTime,
  JSON: scalarResolvers.JSON,
  Query,
  Mutation,
  Subscription,
  Memory,
  Fold,
  Topic,
  MemoryEvent,
  ContextSentence,
};
