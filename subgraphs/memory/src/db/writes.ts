// Writes of the memory subgraph, each in one transaction that locks the folds it fills, so
// that capacity, eviction, deduplication and tree rules hold under concurrent writers; a
// refused write leaves nothing behind.
import { and, asc, count, eq, inArray, isNotNull, notInArray, sql } from 'drizzle-orm';
import { badInput, codedError, notFound, type Database } from '@supergraph/kit';
import { ancestorIds, memoryColumns, MAX_DEPTH, notExpired } from './queries.js';
import { folds, memories, type FoldRow, type MemoryRow, type tables } from './schema.js';
import { distanceTo } from './vector-index.js';

type Db = Database<typeof tables>;
const pathOf = (settings: WriteSettings, i: number) => settings.inputPath?.(i) ?? `inputs.${i}`;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface NewMemory {
  content: string;
  metadata: Record<string, unknown>;
  foldId: string | null;
  parentId: string | null;
  embedding: number[];
  embeddingModel: string;
  expiresAt: Date | null;
  deduplicate: boolean;
  summaryLevel?: number | null;
}

export type MemoryChange = {
  type: 'CREATED' | 'UPDATED' | 'DELETED';
  memoryId: string;
  foldId: string | null;
};

export interface WriteSettings {
  owner: string;
  dimensions: number;
  dedupDistance: number;
  /** Where the i-th item came from in the request, for error fields ('input', 'inputs.3'). */
  inputPath?: (i: number) => string;
}

async function lockFolds(
  tx: Tx,
  owner: string,
  ids: (string | null)[],
  field: (i: number) => string,
) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const rows = wanted.length
    ? await tx
        .select()
        .from(folds)
        .where(and(inArray(folds.id, wanted), eq(folds.createdBy, owner)))
        .for('update')
    : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  ids.forEach((id, i) => {
    if (id !== null && !byId.has(id)) throw notFound('Fold', id, field(i));
  });
  return byId;
}

/** The parent must be the caller's, live, in the same fold, and not too deep. */
async function checkParent(
  tx: Tx,
  owner: string,
  parentId: string,
  foldId: string | null,
  field: string,
) {
  const [parent] = await tx
    .select({ id: memories.id, foldId: memories.foldId })
    .from(memories)
    .where(and(eq(memories.id, parentId), eq(memories.createdBy, owner), notExpired));
  if (!parent) throw notFound('Memory', parentId, field);
  if (parent.foldId !== foldId) {
    throw badInput(
      `${field} is a memory of another fold; a parent must be in the same fold.`,
      field,
    );
  }
  if ((await ancestorIds(tx, parentId)).length + 1 >= MAX_DEPTH) {
    throw badInput(`${field} is too deep: trees hold at most ${MAX_DEPTH} levels.`, field);
  }
}

/** Makes room for `incoming` memories in a fold by its policy, or refuses. */
async function makeRoom(
  tx: Tx,
  fold: FoldRow,
  incoming: number,
  keep: string[],
  changes: MemoryChange[],
) {
  const [{ n } = { n: 0 }] = await tx
    .select({ n: count() })
    .from(memories)
    .where(and(eq(memories.foldId, fold.id), notExpired));
  const excess = n + incoming - fold.capacity;
  if (excess <= 0) return;
  if (fold.policy === 'REJECT' || incoming > fold.capacity) {
    throw codedError('CONFLICT', `Fold ${fold.id} is full: it holds ${fold.capacity} memories.`, {
      extensions: { field: 'foldId', capacity: fold.capacity },
    });
  }
  const by = fold.policy === 'EVICT_OLDEST' ? memories.createdAt : memories.lastAccessedAt;
  const victims = tx
    .select({ id: memories.id })
    .from(memories)
    .where(
      and(eq(memories.foldId, fold.id), keep.length ? notInArray(memories.id, keep) : undefined),
    )
    .orderBy(asc(by), asc(memories.id))
    .limit(excess);
  const evicted = await tx
    .delete(memories)
    .where(inArray(memories.id, victims))
    .returning({ id: memories.id });
  for (const { id } of evicted) changes.push({ type: 'DELETED', memoryId: id, foldId: fold.id });
}

/** The nearest live memory of the fold if it is within the deduplication distance. */
async function duplicateOf(tx: Tx, item: NewMemory, settings: WriteSettings) {
  const distance = distanceTo(
    'COSINE',
    settings.dimensions,
    sql`${`[${item.embedding.join(',')}]`}`,
  );
  const [nearest] = await tx
    .select({ ...memoryColumns, distance: sql<number>`${distance}` })
    .from(memories)
    .where(
      and(eq(memories.foldId, item.foldId!), eq(memories.createdBy, settings.owner), notExpired),
    )
    .orderBy(distance)
    .limit(1);
  if (!nearest || Number(nearest.distance) > settings.dedupDistance) return undefined;
  const { distance: _distance, ...row } = nearest;
  return row;
}

/** Creates memories all or none; deduplicated ones come back as the existing memory. */
export const insertMemories = (db: Db, items: NewMemory[], settings: WriteSettings) =>
  db.transaction((tx) => insertMemoriesIn(tx, items, settings));

async function insertMemoriesIn(tx: Tx, items: NewMemory[], settings: WriteSettings) {
  const changes: MemoryChange[] = [];
  const foldsById = await lockFolds(
    tx,
    settings.owner,
    items.map((item) => item.foldId),
    (i) => `${pathOf(settings, i)}.foldId`,
  );
  for (const [i, item] of items.entries()) {
    if (item.parentId)
      await checkParent(
        tx,
        settings.owner,
        item.parentId,
        item.foldId,
        `${pathOf(settings, i)}.parentId`,
      );
  }
  const result: (MemoryRow | undefined)[] = [];
  for (const item of items) {
    result.push(
      item.deduplicate && item.foldId ? await duplicateOf(tx, item, settings) : undefined,
    );
  }
  const fresh = items.filter((_, i) => result[i] === undefined);
  const keep = items.flatMap((item) => (item.parentId ? [item.parentId] : []));
  for (const fold of foldsById.values()) {
    const incoming = fresh.filter((item) => item.foldId === fold.id).length;
    if (incoming > 0) await makeRoom(tx, fold, incoming, keep, changes);
  }
  const inserted = fresh.length
    ? await tx
        .insert(memories)
        .values(
          fresh.map(({ deduplicate: _d, ...item }) => ({ ...item, createdBy: settings.owner })),
        )
        .returning(memoryColumns)
    : [];
  let next = 0;
  const rows = result.map((existing) => existing ?? inserted[next++]!);
  for (const row of inserted)
    changes.push({ type: 'CREATED', memoryId: row.id, foldId: row.foldId });
  return { rows, changes };
}

export interface MemoryPatch {
  content?: string;
  embedding?: number[];
  embeddingModel?: string;
  metadata?: Record<string, unknown>;
  /** undefined: unchanged; null: out of any fold. */
  foldId?: string | null;
  /** undefined: unchanged; null: a root. */
  parentId?: string | null;
  expiresAt?: Date | null;
}

export function updateMemory(db: Db, id: string, patch: MemoryPatch, settings: WriteSettings) {
  return db.transaction(async (tx) => {
    const changes: MemoryChange[] = [];
    const [current] = await tx
      .select(memoryColumns)
      .from(memories)
      .where(and(eq(memories.id, id), eq(memories.createdBy, settings.owner), notExpired))
      .for('update');
    if (!current) throw notFound('Memory', id, 'input.id');
    const foldId = patch.foldId === undefined ? current.foldId : patch.foldId;
    const parentId = patch.parentId === undefined ? current.parentId : patch.parentId;
    if (foldId !== current.foldId) {
      const [child] = await tx
        .select({ id: memories.id })
        .from(memories)
        .where(eq(memories.parentId, id))
        .limit(1);
      if (child) {
        throw badInput(
          'input.foldId cannot change for a memory with children: their parent must stay in their fold.',
          'input.foldId',
        );
      }
      const locked = await lockFolds(tx, settings.owner, [foldId], () => 'input.foldId');
      if (foldId)
        await makeRoom(tx, locked.get(foldId)!, 1, [id, ...(parentId ? [parentId] : [])], changes);
    }
    if (parentId && (parentId !== current.parentId || foldId !== current.foldId)) {
      if (parentId === id) throw badInput('input.parentId is the memory itself.', 'input.parentId');
      if ((await ancestorIds(tx, parentId)).includes(id)) {
        throw badInput(
          'input.parentId is below this memory: the tree would have a cycle.',
          'input.parentId',
        );
      }
      await checkParent(tx, settings.owner, parentId, foldId, 'input.parentId');
    }
    const [row] = await tx
      .update(memories)
      .set({
        ...(patch.content === undefined
          ? {}
          : {
              content: patch.content,
              embedding: patch.embedding!,
              embeddingModel: patch.embeddingModel!,
            }),
        ...(patch.metadata === undefined ? {} : { metadata: patch.metadata }),
        ...(patch.expiresAt === undefined ? {} : { expiresAt: patch.expiresAt }),
        foldId,
        parentId,
        updatedAt: sql`now()`,
      })
      .where(eq(memories.id, id))
      .returning(memoryColumns);
    changes.push({ type: 'UPDATED', memoryId: id, foldId: row!.foldId });
    return { row: row!, changes };
  });
}

export async function deleteMemory(
  db: Db,
  owner: string,
  id: string,
): Promise<MemoryChange | undefined> {
  const [row] = await db
    .delete(memories)
    .where(and(eq(memories.id, id), eq(memories.createdBy, owner)))
    .returning({ id: memories.id, foldId: memories.foldId });
  return row && { type: 'DELETED', memoryId: row.id, foldId: row.foldId };
}

export async function insertFold(db: Db, values: typeof folds.$inferInsert): Promise<FoldRow> {
  const [fold] = await db.insert(folds).values(values).returning();
  return fold!;
}

export function updateFold(
  db: Db,
  id: string,
  patch: Partial<Pick<FoldRow, 'name' | 'capacity' | 'policy'>>,
  owner: string,
) {
  return db.transaction(async (tx) => {
    const changes: MemoryChange[] = [];
    const locked = await lockFolds(tx, owner, [id], () => 'input.id');
    const fold = { ...locked.get(id)!, ...patch };
    // A smaller capacity applies the fold's policy to what it already holds.
    await makeRoom(tx, fold, 0, [], changes);
    const [row] = await tx
      .update(folds)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(folds.id, id))
      .returning();
    return { row: row!, changes };
  });
}

export function deleteFold(db: Db, owner: string, id: string, withMemories: boolean) {
  return db.transaction(async (tx) => {
    await lockFolds(tx, owner, [id], () => 'id');
    const gone = withMemories
      ? await tx.delete(memories).where(eq(memories.foldId, id)).returning({ id: memories.id })
      : [];
    await tx.delete(folds).where(eq(folds.id, id));
    return gone.map(({ id: memoryId }): MemoryChange => ({
      type: 'DELETED',
      memoryId,
      foldId: id,
    }));
  });
}

/** Creates or replaces the summary memory of a level of a fold. */
export function setFoldSummary(
  db: Db,
  item: NewMemory & { foldId: string; summaryLevel: number },
  settings: WriteSettings,
) {
  return db.transaction(async (tx) => {
    await lockFolds(tx, settings.owner, [item.foldId], () => 'input.foldId');
    const [existing] = await tx
      .update(memories)
      .set({
        content: item.content,
        embedding: item.embedding,
        embeddingModel: item.embeddingModel,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(memories.foldId, item.foldId),
          eq(memories.summaryLevel, item.summaryLevel),
          isNotNull(memories.summaryLevel),
        ),
      )
      .returning(memoryColumns);
    if (existing)
      return {
        row: existing,
        changes: [
          { type: 'UPDATED', memoryId: existing.id, foldId: item.foldId },
        ] as MemoryChange[],
      };
    const { rows, changes } = await insertMemoriesIn(tx, [item], settings);
    return { row: rows[0]!, changes };
  });
}
