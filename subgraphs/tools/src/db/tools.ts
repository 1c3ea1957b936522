// Queries on the tool registry. Batch functions serve the DataLoaders of a request.
import { asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import { isUuid, rowsByIds } from '@supergraph/kit';
import { tools, type tables, type ToolRow } from './schema.js';

type Db = Database<typeof tables>;

/** The new tool; undefined if the name is taken. */
export async function insertTool(
  db: Db,
  values: typeof tools.$inferInsert,
): Promise<ToolRow | undefined> {
  const [row] = await db
    .insert(tools)
    .values(values)
    .onConflictDoNothing({ target: tools.name })
    .returning();
  return row;
}

/** The changed tool; undefined if there is none with that id. */
export async function setToolEnabled(
  db: Db,
  id: string,
  enabled: boolean,
): Promise<ToolRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.update(tools).set({ enabled }).where(eq(tools.id, id)).returning();
  return row;
}

export const listTools = (db: Db, first: number): Promise<ToolRow[]> =>
  db.select().from(tools).orderBy(asc(tools.name)).limit(first);

export async function findToolByName(db: Db, name: string): Promise<ToolRow | undefined> {
  const [row] = await db.select().from(tools).where(eq(tools.name, name));
  return row;
}

export async function toolsByIds(db: Db, ids: readonly string[]): Promise<(ToolRow | null)[]> {
  return rowsByIds(ids, (valid) => db.select().from(tools).where(inArray(tools.id, valid)));
}
