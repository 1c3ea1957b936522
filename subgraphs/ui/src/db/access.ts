// Who may open a document or a visualization: its owner, and the users it is shared with
// (EDITOR or VIEWER). Every read joins the caller's share, so a row comes with the caller's
// role, and a row the caller may not see is never returned.
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { isUuid } from '@supergraph/kit';
import {
  documents,
  shares,
  visualizations,
  type DocumentRow,
  type Role,
  type ShareRow,
  type VisualizationRow,
} from './schema.js';
import type { Db } from './updates.js';

type Kind = ShareRow['kind'];

const shareOf = (
  kind: Kind,
  resourceId: typeof documents.id | typeof visualizations.id,
  userId: string,
) => and(eq(shares.kind, kind), eq(shares.resourceId, resourceId), eq(shares.userId, userId));

const roleColumn = (
  ownerId: typeof documents.ownerId | typeof visualizations.ownerId,
  userId: string,
) => sql<Role>`case when ${ownerId} = ${userId} then 'OWNER' else ${shares.role}::text end`;

/** Documents by id with the caller's role; null where absent or not the caller's to see. */
export async function documentsByIds(
  db: Db,
  userId: string,
  ids: readonly string[],
): Promise<(DocumentRow | null)[]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length
    ? await db
        .select({ document: documents, role: roleColumn(documents.ownerId, userId) })
        .from(documents)
        .leftJoin(shares, shareOf('DOCUMENT', documents.id, userId))
        .where(inArray(documents.id, valid))
    : [];
  const byId = new Map(
    rows
      .filter((row) => row.role)
      .map((row) => [row.document.id, { ...row.document, role: row.role }]),
  );
  return ids.map((id) => byId.get(id) ?? null);
}

/** The documents a user owns or that are shared with them, newest first. */
export async function documentsVisibleTo(
  db: Db,
  userId: string,
  first: number,
): Promise<DocumentRow[]> {
  const rows = await db
    .select({ document: documents, role: roleColumn(documents.ownerId, userId) })
    .from(documents)
    .leftJoin(shares, shareOf('DOCUMENT', documents.id, userId))
    .where(or(eq(documents.ownerId, userId), eq(shares.userId, userId)))
    .orderBy(desc(documents.createdAt), desc(documents.id))
    .limit(first);
  return rows.map((row) => ({ ...row.document, role: row.role }));
}

export async function visualizationsByIds(
  db: Db,
  userId: string,
  ids: readonly string[],
): Promise<(VisualizationRow | null)[]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length
    ? await db
        .select({ visualization: visualizations, role: roleColumn(visualizations.ownerId, userId) })
        .from(visualizations)
        .leftJoin(shares, shareOf('VISUALIZATION', visualizations.id, userId))
        .where(inArray(visualizations.id, valid))
    : [];
  const byId = new Map(
    rows
      .filter((row) => row.role)
      .map((row) => [row.visualization.id, { ...row.visualization, role: row.role }]),
  );
  return ids.map((id) => byId.get(id) ?? null);
}

export async function visualizationsVisibleTo(
  db: Db,
  userId: string,
  first: number,
): Promise<VisualizationRow[]> {
  const rows = await db
    .select({ visualization: visualizations, role: roleColumn(visualizations.ownerId, userId) })
    .from(visualizations)
    .leftJoin(shares, shareOf('VISUALIZATION', visualizations.id, userId))
    .where(or(eq(visualizations.ownerId, userId), eq(shares.userId, userId)))
    .orderBy(desc(visualizations.createdAt), desc(visualizations.id))
    .limit(first);
  return rows.map((row) => ({ ...row.visualization, role: row.role }));
}

/** Shares of many resources of one kind (for the owner's view), oldest first. */
export async function sharesOf(db: Db, kind: Kind, ids: readonly string[]): Promise<ShareRow[][]> {
  const rows = ids.length
    ? await db
        .select()
        .from(shares)
        .where(and(eq(shares.kind, kind), inArray(shares.resourceId, [...ids])))
        .orderBy(shares.createdAt)
    : [];
  return ids.map((id) => rows.filter((row) => row.resourceId === id));
}

/** Shares (or changes the role); returns the stored share. */
export async function upsertShare(
  db: Db,
  values: Pick<ShareRow, 'kind' | 'resourceId' | 'userId' | 'role'>,
): Promise<ShareRow> {
  const [row] = await db
    .insert(shares)
    .values(values)
    .onConflictDoUpdate({
      target: [shares.kind, shares.resourceId, shares.userId],
      set: { role: values.role, createdAt: sql`now()` },
    })
    .returning();
  return row!;
}

export async function deleteShare(
  db: Db,
  kind: Kind,
  resourceId: string,
  userId: string,
): Promise<boolean> {
  const rows = await db
    .delete(shares)
    .where(and(eq(shares.kind, kind), eq(shares.resourceId, resourceId), eq(shares.userId, userId)))
    .returning({ userId: shares.userId });
  return rows.length > 0;
}
