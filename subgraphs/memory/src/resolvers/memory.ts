// Memory: the entity, its tree, its neighbours by meaning and its topics.
import { ancestorIds } from '../db/queries.js';
import type { MemoryRow } from '../db/schema.js';
import type { MemoryResolvers } from '../generated/resolvers-types.js';
import { count } from '../inputs.js';
import { MAX_PAGE } from './query.js';

export const Memory: MemoryResolvers = {
  __resolveReference: ({ id }, context) =>
    context.identity ? context.memoriesById.load(id) : null,
  fold: (memory, _args, context) => (memory.foldId ? context.foldsById.load(memory.foldId) : null),
  parent: (memory, _args, context) =>
    memory.parentId ? context.memoriesById.load(memory.parentId) : null,
  children: async (memory, { first }, context) =>
    (await context.childrenOf.load(memory.id)).slice(0, count('first', first, MAX_PAGE)),
  ancestors: async (memory, _args, context) => {
    const rows = await context.memoriesById.loadMany(await ancestorIds(context.db, memory.id));
    return rows.filter((row): row is MemoryRow => row !== null && !(row instanceof Error));
  },
  depth: async (memory, _args, context) => (await ancestorIds(context.db, memory.id)).length,
  similar: (memory, { topK, metric, minScore }, context) =>
    context.search.load({
      sourceId: memory.id,
      topK: count('topK', topK, context.limits.maxTopK),
      metric,
      minScore: minScore ?? null,
    }),
  topics: async (memory, _args, context) =>
    memory.foldId
      ? (await context.topicsOf.load(memory.foldId)).filter((topic) =>
          topic.memberIds.includes(memory.id),
        )
      : [],
  createdBy: (memory) => ({ __typename: 'User', id: memory.createdBy }),
};
