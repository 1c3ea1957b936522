// Fold: a bounded collection; counts, summaries and topics are batched per request.
import type { FoldResolvers } from '../generated/resolvers-types.js';
import { count, decodeCursor, encodeCursor } from '../inputs.js';
import { MAX_PAGE } from './query.js';

export const MAX_TOPICS = 32;

export const Fold: FoldResolvers = {
  __resolveReference: ({ id }, context) => (context.identity ? context.foldsById.load(id) : null),
  memoryCount: (fold, _args, context) => context.memoryCounts.load(fold.id),
  async memories(fold, { first, after }, context) {
    const { rows, hasNextPage } = await context.foldPages.load({
      foldId: fold.id,
      first: count('first', first, MAX_PAGE),
      after: decodeCursor('after', after),
    });
    const edges = rows.map((row) => ({ cursor: encodeCursor(row.createdAt, row.id), node: row }));
    return {
      edges,
      nodes: rows,
      pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  },
  summaries: (fold, _args, context) => context.summariesOf.load(fold.id),
  topics: (fold, { k }, context) =>
    k == null
      ? context.topicsOf.load(fold.id)
      : context.topicsOf.load(`${fold.id}#${count('k', k, MAX_TOPICS)}`),
  createdBy: (fold) => ({ __typename: 'User', id: fold.createdBy }),
};
