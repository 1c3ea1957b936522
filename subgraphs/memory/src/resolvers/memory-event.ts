// MemoryEvent: what changed; the memory is read fresh for each event (no request cache).
import { memoriesByIds } from '../db/queries.js';
import type { MemoryEventResolvers } from '../generated/resolvers-types.js';

export const MemoryEvent: MemoryEventResolvers = {
  memory: async (event, _args, context) =>
    event.type === 'DELETED' || !context.identity
      ? null
      : ((await memoriesByIds(context.db, context.identity.userId, [event.memoryId]))[0] ?? null),
};
