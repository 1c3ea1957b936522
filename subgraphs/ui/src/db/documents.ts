// Queries on documents. Batch functions serve the DataLoaders of a request.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import { isUuid, rowsByIds } from '@supergraph/kit';
import { documents, type DocumentRow, type tables } from './schema.js';

type Db = Database<typeof tables>;

export async function insertDocument(
  db: Db,
  values: { ownerId: string; title: string; content: string },
): Promise<DocumentRow> {
  const [row] = await db.insert(documents).values(values).returning();
  return row!;
}

export interface DocumentChange {
  id: string;
  ownerId: string;
  /** Absent or null: unchanged. */
  title?: string | null | undefined;
  content?: string | null | undefined;
  /** Absent or null: whatever the current version is (last writer wins). */
  expectedVersion?: number | null | undefined;
}

/**
 * Applies the change in one conditional UPDATE, so two writers on the same version cannot both
 * succeed; undefined when nothing matched (absent, someone else's, or a newer version).
 */
export async function updateDocument(
  db: Db,
  { id, ownerId, title, content, expectedVersion }: DocumentChange,
): Promise<DocumentRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .update(documents)
    .set({
      ...(title == null ? {} : { title }),
      ...(content == null ? {} : { content }),
      version: sql`${documents.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(documents.id, id),
        eq(documents.ownerId, ownerId),
        expectedVersion == null ? undefined : eq(documents.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}

/** Read straight from the table, bypassing a request's loader cache (after a failed update). */
export async function findDocument(db: Db, id: string): Promise<DocumentRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(documents).where(eq(documents.id, id));
  return row;
}

export const listDocumentsOf = (db: Db, ownerId: string, first: number): Promise<DocumentRow[]> =>
  db
    .select()
    .from(documents)
    .where(eq(documents.ownerId, ownerId))
    .orderBy(desc(documents.createdAt), desc(documents.id))
    .limit(first);

export async function documentsByIds(
  db: Db,
  ids: readonly string[],
): Promise<(DocumentRow | null)[]> {
  return rowsByIds(ids, (valid) => db.select().from(documents).where(inArray(documents.id, valid)));
}

export async function documentsByOwnerIds(
  db: Db,
  ownerIds: readonly string[],
): Promise<DocumentRow[][]> {
  const rows = ownerIds.length
    ? await db
        .select()
        .from(documents)
        .where(inArray(documents.ownerId, [...ownerIds]))
        .orderBy(desc(documents.createdAt), desc(documents.id))
    : [];
  return ownerIds.map((id) => rows.filter((row) => row.ownerId === id));
}
