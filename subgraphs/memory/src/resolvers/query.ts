// Query: the caller's memories, folds, searches and context compression.
import { badInput, requireScope } from '@supergraph/kit';
import { compressContext } from '../compression.js';
import { listFolds, listMemories, touchMemories } from '../db/queries.js';
import { embed } from '../embedding.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';
import { count, decodeCursor, encodeCursor, filter, reference, vector } from '../inputs.js';

export const MAX_PAGE = 100;
const MAX_COMPRESS_ITEMS = 1_000;

export const Query: QueryResolvers = {
  async memory(_parent, { id }, context) {
    requireScope(context, 'memory:read');
    const row = await context.memoriesById.load(id);
    // A direct read is a use, for folds that evict the least recently used.
    if (row) await touchMemories(context.db, [row.id]);
    return row;
  },

  async memories(_parent, args, context) {
    const { userId } = requireScope(context, 'memory:read');
    const { rows, hasNextPage } = await listMemories(context.db, userId, {
      first: count('first', args.first, MAX_PAGE),
      after: decodeCursor('after', args.after),
      sort: { field: args.sort?.field ?? 'CREATED_AT', direction: args.sort?.direction ?? 'DESC' },
      filter: filter('filter', args.filter),
    });
    const at = (row: (typeof rows)[number]) =>
      args.sort?.field === 'UPDATED_AT' ? row.updatedAt : row.createdAt;
    const edges = rows.map((row) => ({ cursor: encodeCursor(at(row), row.id), node: row }));
    return {
      edges,
      nodes: rows,
      pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  },

  async searchMemories(_parent, { input }, context) {
    requireScope(context, 'memory:read');
    if ((input.text == null) === (input.vector == null)) {
      throw badInput('input needs exactly one of text and vector.', 'input');
    }
    const query =
      input.vector != null
        ? vector(context, 'input.vector', input.vector)
        : (await embed(context, [nonBlank(input.text!)]))[0]!;
    const minScore = input.minScore ?? null;
    if (minScore !== null && !Number.isFinite(minScore))
      throw badInput('input.minScore must be a finite number.', 'input.minScore');
    const { foldId, metadataContains } = filter('input.filter', input.filter);
    return context.search.load({
      vector: query,
      topK: count('input.topK', input.topK ?? 10, context.limits.maxTopK),
      metric: input.metric ?? 'COSINE',
      foldId,
      metadataContains,
      minScore,
    });
  },

  fold: (_parent, { id }, context) => {
    requireScope(context, 'memory:read');
    return context.foldsById.load(id);
  },

  folds: (_parent, args, context) => {
    const { userId } = requireScope(context, 'memory:read');
    return listFolds(context.db, userId, {
      first: count('first', args.first, MAX_PAGE),
      offset: count('offset', args.offset, Number.MAX_SAFE_INTEGER, 0),
      sort: { field: args.sort?.field ?? 'CREATED_AT', direction: args.sort?.direction ?? 'DESC' },
    });
  },

  async compressContext(_parent, { input }, context) {
    requireScope(context, 'memory:read');
    if ((input.messages == null) === (input.memoryIds == null)) {
      throw badInput('input needs exactly one of messages and memoryIds.', 'input');
    }
    const budget = count('input.tokenBudget', input.tokenBudget, 1_000_000);
    let items: { id?: string; text: string; at?: Date }[];
    if (input.messages) {
      count('input.messages', input.messages.length, MAX_COMPRESS_ITEMS);
      items = input.messages.map((text) => ({ text }));
    } else {
      const ids = input.memoryIds!;
      count('input.memoryIds', ids.length, MAX_COMPRESS_ITEMS);
      const rows = await context.memoriesById.loadMany(
        ids.map((id, i) => reference('Memory', `input.memoryIds.${i}`, id)!),
      );
      items = rows.map((row, i) => {
        if (!row || row instanceof Error)
          throw badInput(
            `input.memoryIds.${i} is not one of your memories.`,
            `input.memoryIds.${i}`,
          );
        return { id: row.id, text: row.content, at: row.createdAt };
      });
    }
    if (items.every((item) => item.text.trim() === ''))
      throw badInput('input holds no text to compress.', 'input');
    const result = await compressContext({
      items,
      tokenBudget: budget,
      embed: (texts) => embed(context, texts),
    });
    const sentence = (ref: (typeof result.kept)[number]) => ({
      text: ref.text,
      tokens: ref.tokens,
      score: ref.score,
      memoryId: ref.itemId ?? null,
      messageIndex: input.messages ? ref.itemIndex : null,
    });
    return { ...result, kept: result.kept.map(sentence), dropped: result.dropped.map(sentence) };
  },

  expandContext: async (_parent, { memoryIds }, context) => {
    requireScope(context, 'memory:read');
    count('memoryIds', memoryIds.length, MAX_COMPRESS_ITEMS);
    const rows = (await context.memoriesById.loadMany(memoryIds)).map((row) =>
      row instanceof Error ? null : row,
    );
    await touchMemories(
      context.db,
      rows.flatMap((row) => (row ? [row.id] : [])),
    );
    return rows;
  },
};

function nonBlank(text: string): string {
  if (text.trim() === '') throw badInput('input.text must not be blank.', 'input.text');
  return text;
}
