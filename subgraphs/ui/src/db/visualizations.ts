// Writing visualizations (reads go through db/access.ts, which knows who may see them).
import { visualizations, type VisualizationRow } from './schema.js';
import type { Db } from './updates.js';

export async function insertVisualization(
  db: Db,
  values: typeof visualizations.$inferInsert,
): Promise<VisualizationRow> {
  const [row] = await db.insert(visualizations).values(values).returning();
  return { ...row!, role: 'OWNER' };
}
