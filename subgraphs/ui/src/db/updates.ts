// Queries on a document's update log and versions. The documents row is locked (FOR UPDATE)
// by every writer of the document, so sequence numbers are assigned by the database, one
// writer at a time across replicas, and a committed update's predecessors are all committed.
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import { isUuid } from '@supergraph/kit';
import {
  documents,
  documentUpdates,
  documentVersions,
  type DocumentVersionRow,
  type tables,
} from './schema.js';

export type Db = Database<typeof tables>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Reader = Db | Tx;

/** How many log rows one read returns at most (replays page through longer gaps). */
export const LOG_PAGE = 500;

export interface LogRow {
  seq: number;
  update: Uint8Array;
  authorId: string;
  clientId: string | null;
  createdAt: Date;
}

/** The row that orders a document's writers, locked until the transaction ends. */
export async function lockDocument(tx: Tx, id: string) {
  if (!isUuid(id)) return undefined;
  const [row] = await tx
    .select({ seq: documents.seq, version: documents.version, ownerId: documents.ownerId })
    .from(documents)
    .where(eq(documents.id, id))
    .for('update');
  return row;
}

export async function currentSeq(db: Reader, id: string): Promise<number | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select({ seq: documents.seq }).from(documents).where(eq(documents.id, id));
  return row?.seq;
}

/** Updates after `after`, oldest first, at most `limit`. */
export const logAfter = (db: Reader, id: string, after: number, limit = LOG_PAGE) =>
  db
    .select({
      seq: documentUpdates.seq,
      update: documentUpdates.update,
      authorId: documentUpdates.authorId,
      clientId: documentUpdates.clientId,
      createdAt: documentUpdates.createdAt,
    })
    .from(documentUpdates)
    .where(and(eq(documentUpdates.documentId, id), gt(documentUpdates.seq, after)))
    .orderBy(documentUpdates.seq)
    .limit(limit) as Promise<LogRow[]>;

/** Every update after `after`, however many (loading a document). */
export async function wholeLogAfter(db: Reader, id: string, after: number): Promise<LogRow[]> {
  const rows: LogRow[] = [];
  for (;;) {
    const page = await logAfter(db, id, rows.at(-1)?.seq ?? after, LOG_PAGE * 10);
    rows.push(...page);
    if (page.length < LOG_PAGE * 10) return rows;
  }
}

/** Stores updates (seqs in order, after the row's) and the document's new text and seq. */
export async function appendUpdates(
  tx: Tx,
  documentId: string,
  rows: { seq: number; update: Uint8Array; authorId: string; clientId: string | null }[],
  { content, title }: { content: string; title?: string | null | undefined },
): Promise<Date> {
  const stored = await tx
    .insert(documentUpdates)
    .values(rows.map((row) => ({ documentId, ...row })))
    .returning({ createdAt: documentUpdates.createdAt });
  await tx
    .update(documents)
    .set({
      ...(title == null ? {} : { title }),
      seq: rows.at(-1)!.seq,
      content,
      version: sql`${documents.version} + ${rows.length}`,
      updatedAt: sql`now()`,
    })
    .where(eq(documents.id, documentId));
  return stored[0]!.createdAt;
}

/** A title change without a text change: a version of its own. */
export async function setTitle(tx: Tx, id: string, title: string): Promise<void> {
  await tx
    .update(documents)
    .set({ title, version: sql`${documents.version} + 1`, updatedAt: sql`now()` })
    .where(eq(documents.id, id));
}

/** The newest snapshot or version of a document: where loading starts. */
export async function latestState(db: Reader, id: string) {
  const [row] = await db
    .select({ seq: documentVersions.seq, state: documentVersions.state })
    .from(documentVersions)
    .where(eq(documentVersions.documentId, id))
    .orderBy(desc(documentVersions.seq))
    .limit(1);
  return row;
}

export async function insertVersion(
  db: Reader,
  values: {
    documentId: string;
    seq: number;
    state: Uint8Array;
    name: string | null;
    authorId: string | null;
  },
): Promise<DocumentVersionRow> {
  const [row] = await db.insert(documentVersions).values(values).returning();
  return row!;
}

const versionColumns = {
  id: documentVersions.id,
  documentId: documentVersions.documentId,
  seq: documentVersions.seq,
  name: documentVersions.name,
  authorId: documentVersions.authorId,
  createdAt: documentVersions.createdAt,
};

export const listVersions = (db: Reader, documentId: string, first: number) =>
  db
    .select(versionColumns)
    .from(documentVersions)
    .where(eq(documentVersions.documentId, documentId))
    .orderBy(desc(documentVersions.seq), desc(documentVersions.createdAt))
    .limit(first);

export async function findVersion(
  db: Reader,
  id: string,
): Promise<Required<DocumentVersionRow> | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(documentVersions).where(eq(documentVersions.id, id));
  return row;
}

/** The states of versions by id (a page of versions lists them without), for a DataLoader. */
export async function versionStates(
  db: Reader,
  ids: readonly string[],
): Promise<(Uint8Array | null)[]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length
    ? await db
        .select({ id: documentVersions.id, state: documentVersions.state })
        .from(documentVersions)
        .where(inArray(documentVersions.id, valid))
    : [];
  const byId = new Map(rows.map((row) => [row.id, row.state]));
  return ids.map((id) => byId.get(id) ?? null);
}
