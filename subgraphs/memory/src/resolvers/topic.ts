// Topic: a cluster of a fold's memories.
import type { MemoryRow } from '../db/schema.js';
import type { TopicResolvers } from '../generated/resolvers-types.js';

export const Topic: TopicResolvers = {
  memories: async (topic, _args, context) => {
    const rows = await context.memoriesById.loadMany(topic.memberIds);
    return rows.filter((row): row is MemoryRow => row !== null && !(row instanceof Error));
  },
};
