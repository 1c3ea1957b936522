// Mutation: memories and folds, validated before anything is written; each change is
// published as a memory event once its transaction has committed.
import { badInput, notFound, requireScope } from '@supergraph/kit';
import {
  deleteFold,
  deleteMemory,
  insertFold,
  insertMemories,
  setFoldSummary,
  updateFold,
  updateMemory,
  type NewMemory,
} from '../db/writes.js';
import type { MemoryContext } from '../context.js';
import { CLIENT_VECTOR, embed, embedderId } from '../embedding.js';
import { publishChanges } from '../events.js';
import type { CreateMemoryInput, MutationResolvers } from '../generated/resolvers-types.js';
import { content, count, futureDate, jsonObject, reference, vector } from '../inputs.js';

const MAX_FOLD_CAPACITY = 1_000_000;
const MAX_NAME = 200;
const MAX_SUMMARY_LEVEL = 64;

function foldName(field: string, name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NAME) {
    throw badInput(`${field} must have 1 to ${MAX_NAME} characters.`, field);
  }
  return trimmed;
}

const settingsOf = (context: MemoryContext, owner: string) => ({
  owner,
  dimensions: context.embedder.dimensions,
  dedupDistance: context.limits.dedup.distance,
});

/** Validates every input, then embeds the texts that came without a vector in one call. */
async function newMemories(
  context: MemoryContext,
  inputs: readonly CreateMemoryInput[],
  prefix: (i: number) => string,
) {
  const checked = inputs.map((input, i) => {
    const at = prefix(i);
    return {
      content: content(context, `${at}.content`, input.content),
      metadata: input.metadata == null ? {} : jsonObject(`${at}.metadata`, input.metadata),
      foldId: reference('Fold', `${at}.foldId`, input.foldId),
      parentId: reference('Memory', `${at}.parentId`, input.parentId),
      embedding:
        input.embedding == null ? null : vector(context, `${at}.embedding`, input.embedding),
      expiresAt: futureDate(`${at}.expiresAt`, input.expiresAt),
      deduplicate: input.deduplicate ?? context.limits.dedup.byDefault,
    };
  });
  const toEmbed = checked.filter((item) => item.embedding === null);
  const vectors = toEmbed.length
    ? await embed(
        context,
        toEmbed.map((item) => item.content),
      )
    : [];
  let next = 0;
  return checked.map((item): NewMemory =>
    item.embedding === null
      ? { ...item, embedding: vectors[next++]!, embeddingModel: embedderId(context) }
      : { ...item, embedding: item.embedding, embeddingModel: CLIENT_VECTOR },
  );
}

export const Mutation: MutationResolvers = {
  async createMemory(_parent, { input }, context) {
    const { userId } = requireScope(context, 'memory:write');
    const items = await newMemories(context, [input], () => 'input');
    const { rows, changes } = await insertMemories(context.db, items, {
      ...settingsOf(context, userId),
      inputPath: () => 'input',
    });
    publishChanges(context, userId, changes);
    return rows[0]!;
  },

  async createMemories(_parent, { inputs }, context) {
    const { userId } = requireScope(context, 'memory:write');
    count('inputs', inputs.length, context.limits.maxBatch);
    const items = await newMemories(context, inputs, (i) => `inputs.${i}`);
    const { rows, changes } = await insertMemories(context.db, items, settingsOf(context, userId));
    publishChanges(context, userId, changes);
    return rows;
  },

  async updateMemory(_parent, { input }, context) {
    const { userId } = requireScope(context, 'memory:write');
    const id = reference('Memory', 'input.id', input.id)!;
    const text =
      input.content == null ? undefined : content(context, 'input.content', input.content);
    const patch = {
      ...(text === undefined
        ? {}
        : {
            content: text,
            embedding: (await embed(context, [text]))[0]!,
            embeddingModel: embedderId(context),
          }),
      ...(input.metadata == null ? {} : { metadata: jsonObject('input.metadata', input.metadata) }),
      ...('foldId' in input ? { foldId: reference('Fold', 'input.foldId', input.foldId) } : {}),
      ...('parentId' in input
        ? { parentId: reference('Memory', 'input.parentId', input.parentId) }
        : {}),
      ...('expiresAt' in input
        ? { expiresAt: futureDate('input.expiresAt', input.expiresAt) }
        : {}),
    };
    const { row, changes } = await updateMemory(context.db, id, patch, settingsOf(context, userId));
    publishChanges(context, userId, changes);
    return row;
  },

  async deleteMemory(_parent, { id }, context) {
    const { userId } = requireScope(context, 'memory:write');
    const change = await deleteMemory(context.db, userId, reference('Memory', 'id', id)!);
    if (!change) throw notFound('Memory', id);
    publishChanges(context, userId, [change]);
    return id;
  },

  async createFold(_parent, { input }, context) {
    const { userId } = requireScope(context, 'memory:write');
    return insertFold(context.db, {
      name: foldName('input.name', input.name),
      capacity:
        input.capacity == null
          ? context.limits.defaultFoldCapacity
          : count('input.capacity', input.capacity, MAX_FOLD_CAPACITY),
      policy: input.policy ?? 'REJECT',
      createdBy: userId,
    });
  },

  async updateFold(_parent, { input }, context) {
    const { userId } = requireScope(context, 'memory:write');
    const patch = {
      ...(input.name == null ? {} : { name: foldName('input.name', input.name) }),
      ...(input.capacity == null
        ? {}
        : { capacity: count('input.capacity', input.capacity, MAX_FOLD_CAPACITY) }),
      ...(input.policy == null ? {} : { policy: input.policy }),
    };
    const { row, changes } = await updateFold(
      context.db,
      reference('Fold', 'input.id', input.id)!,
      patch,
      userId,
    );
    publishChanges(context, userId, changes);
    return row;
  },

  async deleteFold(_parent, { id, deleteMemories }, context) {
    const { userId } = requireScope(context, 'memory:write');
    const changes = await deleteFold(
      context.db,
      userId,
      reference('Fold', 'id', id)!,
      deleteMemories ?? false,
    );
    publishChanges(context, userId, changes);
    return id;
  },

  async setFoldSummary(_parent, { input }, context) {
    const { userId } = requireScope(context, 'memory:write');
    const level = count('input.level', input.level, MAX_SUMMARY_LEVEL, 0);
    const [item] = await newMemories(
      context,
      [{ content: input.content, foldId: input.foldId }],
      () => 'input',
    );
    const { row, changes } = await setFoldSummary(
      context.db,
      { ...item!, foldId: item!.foldId!, summaryLevel: level, deduplicate: false },
      { ...settingsOf(context, userId), inputPath: () => 'input' },
    );
    publishChanges(context, userId, changes);
    return row;
  },
};
