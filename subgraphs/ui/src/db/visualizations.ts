// Queries on visualizations. Batch functions serve the DataLoaders of a request.
import { desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import { rowsByIds } from '@supergraph/kit';
import { visualizations, type tables, type VisualizationRow } from './schema.js';

type Db = Database<typeof tables>;

export async function insertVisualization(
  db: Db,
  values: typeof visualizations.$inferInsert,
): Promise<VisualizationRow> {
  const [row] = await db.insert(visualizations).values(values).returning();
  return row!;
}

export const listVisualizationsOf = (
  db: Db,
  ownerId: string,
  first: number,
): Promise<VisualizationRow[]> =>
  db
    .select()
    .from(visualizations)
    .where(eq(visualizations.ownerId, ownerId))
    .orderBy(desc(visualizations.createdAt), desc(visualizations.id))
    .limit(first);

export async function visualizationsByIds(
  db: Db,
  ids: readonly string[],
): Promise<(VisualizationRow | null)[]> {
  return rowsByIds(ids, (valid) =>
    db.select().from(visualizations).where(inArray(visualizations.id, valid)),
  );
}

export async function visualizationsByOwnerIds(
  db: Db,
  ownerIds: readonly string[],
): Promise<VisualizationRow[][]> {
  const rows = ownerIds.length
    ? await db
        .select()
        .from(visualizations)
        .where(inArray(visualizations.ownerId, [...ownerIds]))
        .orderBy(desc(visualizations.createdAt), desc(visualizations.id))
    : [];
  return ownerIds.map((id) => rows.filter((row) => row.ownerId === id));
}
