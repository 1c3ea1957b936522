// Reads of the memory subgraph. Every read is scoped to the caller (createdBy) and leaves out
// expired memories; the batch functions answer the per-request DataLoaders.
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import { rowsByIds, rowsGroupedBy, type Database } from '@supergraph/kit';
import { folds, memories, type FoldRow, type MemoryRow, type tables } from './schema.js';

type Db = Database<typeof tables>;

// Everything but the embedding, which no resolver needs and which is large.
const { embedding: _embedding, ...memoryColumns } = getTableColumns(memories);
export { memoryColumns };

export const notExpired = or(isNull(memories.expiresAt), gt(memories.expiresAt, sql`now()`))!;
const ownMemory = (owner: string) => and(eq(memories.createdBy, owner), notExpired)!;

export const selectMemories = (db: Db) => db.select(memoryColumns).from(memories);

export const memoriesByIds = (db: Db, owner: string, ids: readonly string[]) =>
  rowsByIds(ids, (valid) =>
    selectMemories(db).where(and(inArray(memories.id, valid), ownMemory(owner))),
  );

export const foldsByIds = (db: Db, owner: string, ids: readonly string[]) =>
  rowsByIds(ids, (valid) =>
    db
      .select()
      .from(folds)
      .where(and(inArray(folds.id, valid), eq(folds.createdBy, owner))),
  );

export async function memoryCountsByFold(db: Db, foldIds: readonly string[]): Promise<number[]> {
  const rows = await db
    .select({ foldId: memories.foldId, n: count() })
    .from(memories)
    .where(and(inArray(memories.foldId, [...foldIds]), notExpired))
    .groupBy(memories.foldId);
  const byFold = new Map(rows.map((row) => [row.foldId, row.n]));
  return foldIds.map((id) => byFold.get(id) ?? 0);
}

export const childrenByParentIds = (db: Db, owner: string, ids: readonly string[]) =>
  rowsGroupedBy(
    ids,
    (valid) =>
      selectMemories(db)
        .where(and(inArray(memories.parentId, valid), ownMemory(owner)))
        .orderBy(asc(memories.createdAt), asc(memories.id)),
    (row) => row.parentId,
  );

export const summariesByFoldIds = (db: Db, owner: string, ids: readonly string[]) =>
  rowsGroupedBy(
    ids,
    (valid) =>
      selectMemories(db)
        .where(
          and(inArray(memories.foldId, valid), isNotNull(memories.summaryLevel), ownMemory(owner)),
        )
        .orderBy(asc(memories.summaryLevel)),
    (row) => row.foldId,
  );

/** From the root down to the parent, by a recursive query. */
export async function ancestorIds(db: Db, id: string): Promise<string[]> {
  const result = await db.execute(sql`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM memories WHERE id = ${id}
      UNION ALL
      SELECT m.id, m.parent_id, up.depth + 1 FROM memories m JOIN up ON m.id = up.parent_id
      WHERE up.depth < ${MAX_DEPTH}
    )
    SELECT id FROM up WHERE depth > 0 ORDER BY depth DESC`);
  return (result as unknown as { rows: { id: string }[] }).rows.map((row) => row.id);
}

/** Trees deeper than this are refused at write time, so walks always end. */
export const MAX_DEPTH = 64;

export type SortField = 'CREATED_AT' | 'UPDATED_AT';
export type Direction = 'ASC' | 'DESC';

export interface ListOptions {
  first: number;
  after?: { at: Date; id: string } | undefined;
  sort: { field: SortField; direction: Direction };
  filter: { foldId?: string | null; metadataContains?: Record<string, unknown> | null };
}

/** Keyset pagination on (sort column, id); one row more than asked tells if there is more. */
export async function listMemories(db: Db, owner: string, options: ListOptions) {
  const { first, after, sort, filter } = options;
  const column = sort.field === 'UPDATED_AT' ? memories.updatedAt : memories.createdAt;
  const order = sort.direction === 'ASC' ? asc : desc;
  const beyond = sort.direction === 'ASC' ? gt : lt;
  const conditions: SQL[] = [ownMemory(owner)];
  if (filter.foldId) conditions.push(eq(memories.foldId, filter.foldId));
  if (filter.metadataContains) {
    conditions.push(sql`${memories.metadata} @> ${JSON.stringify(filter.metadataContains)}::jsonb`);
  }
  if (after) {
    conditions.push(
      or(beyond(column, after.at), and(eq(column, after.at), beyond(memories.id, after.id)))!,
    );
  }
  const rows = await selectMemories(db)
    .where(and(...conditions))
    .orderBy(order(column), order(memories.id))
    .limit(first + 1);
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}

export type FoldSortField = 'CREATED_AT' | 'NAME';

export function listFolds(
  db: Db,
  owner: string,
  options: { first: number; offset: number; sort: { field: FoldSortField; direction: Direction } },
): Promise<FoldRow[]> {
  const column = options.sort.field === 'NAME' ? folds.name : folds.createdAt;
  const order = options.sort.direction === 'ASC' ? asc : desc;
  return db
    .select()
    .from(folds)
    .where(eq(folds.createdBy, owner))
    .orderBy(order(column), order(folds.id))
    .limit(options.first)
    .offset(options.offset);
}

/** Marks memories as read now, for the least-recently-used eviction policy. */
export async function touchMemories(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(memories)
    .set({ lastAccessedAt: sql`now()` })
    .where(inArray(memories.id, [...ids]));
}

/** Deletes expired memories; returns how many. */
export async function purgeExpired(db: Db): Promise<number> {
  const deleted = await db
    .delete(memories)
    .where(and(isNotNull(memories.expiresAt), lt(memories.expiresAt, sql`now()`)))
    .returning({ id: memories.id });
  return deleted.length;
}

export type { MemoryRow };

/** The texts and vectors of a fold's live memories, for clustering (newest first, capped). */
export function foldVectors(db: Db, owner: string, foldId: string, limit: number) {
  return db
    .select({ id: memories.id, text: memories.content, vector: memories.embedding })
    .from(memories)
    .where(and(eq(memories.foldId, foldId), ownMemory(owner)))
    .orderBy(desc(memories.createdAt))
    .limit(limit);
}

export interface FoldPageKey {
  foldId: string;
  first: number;
  after?: { at: Date; id: string } | undefined;
}

/** The newest-first pages of many folds in one statement: a LATERAL subquery per fold. */
export async function foldPages(db: Db, owner: string, keys: readonly FoldPageKey[]) {
  const rows = keys.map((key, ord) => ({
    ord,
    fold: key.foldId,
    k: key.first + 1,
    at: key.after?.at.toISOString() ?? null,
    id: key.after?.id ?? null,
  }));
  const result = await db.execute(sql`
    SELECT q.ord, page.* FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS q(ord int, fold uuid, k int, at timestamptz, id uuid)
    CROSS JOIN LATERAL (
      SELECT ${sql.raw(MEMORY_ROW_SQL)} FROM memories
      WHERE ${memories.foldId} = q.fold AND ${ownMemory(owner)}
        AND (q.at IS NULL OR (${memories.createdAt}, ${memories.id}) < (q.at, q.id))
      ORDER BY ${memories.createdAt} DESC, ${memories.id} DESC
      LIMIT q.k
    ) page`);
  const pages = keys.map(() => [] as MemoryRow[]);
  for (const row of (result as unknown as { rows: (MemoryRow & { ord: number })[] }).rows) {
    const { ord, ...memory } = row;
    pages[ord]!.push(rawMemoryRow(memory));
  }
  return pages.map((page, i) => ({
    rows: page.slice(0, keys[i]!.first),
    hasNextPage: page.length > keys[i]!.first,
  }));
}

/** The columns of a MemoryRow for raw SQL, named as drizzle names them. */
export const MEMORY_ROW_SQL = [
  'id',
  'content',
  'metadata',
  'fold_id AS "foldId"',
  'parent_id AS "parentId"',
  'summary_level AS "summaryLevel"',
  'embedding_model AS "embeddingModel"',
  'created_by AS "createdBy"',
  'created_at AS "createdAt"',
  'updated_at AS "updatedAt"',
  'last_accessed_at AS "lastAccessedAt"',
  'expires_at AS "expiresAt"',
]
  .map((column) => `memories.${column}`)
  .join(', ');

/** Raw rows: drivers differ in whether timestamps come back as Date or string. */
export function rawMemoryRow(row: MemoryRow): MemoryRow {
  const date = (value: Date | string | null) => (value === null ? null : new Date(value));
  return {
    ...row,
    createdAt: date(row.createdAt)!,
    updatedAt: date(row.updatedAt)!,
    lastAccessedAt: date(row.lastAccessedAt)!,
    expiresAt: date(row.expiresAt),
  };
}
