// Queries on the tool registry and its MCP servers. Batch functions serve the DataLoaders of
// a request.
import { and, asc, eq, ilike, inArray, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import { isUuid, rowsByIds } from '@supergraph/kit';
import { mcpServers, tools, type McpServerRow, type tables, type ToolRow } from './schema.js';

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
export async function updateTool(
  db: Db,
  id: string,
  changes: Partial<typeof tools.$inferInsert>,
): Promise<ToolRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .update(tools)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(tools.id, id))
    .returning();
  return row;
}

/** The changed tool; undefined if there is none with that id. */
export const setToolEnabled = (db: Db, id: string, enabled: boolean) =>
  updateTool(db, id, { enabled });

export async function deleteTool(db: Db, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const deleted = await db.delete(tools).where(eq(tools.id, id)).returning({ id: tools.id });
  return deleted.length > 0;
}

export interface ToolFilter {
  search?: string;
  tag?: string;
  includeDisabled?: boolean;
  mcpServerId?: string;
}

// LIKE's own wildcards in the caller's words are literal characters.
const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function listTools(db: Db, filter: ToolFilter, first: number): Promise<ToolRow[]> {
  const conditions: (SQL | undefined)[] = [
    filter.includeDisabled ? undefined : eq(tools.enabled, true),
    filter.tag === undefined ? undefined : sql`${filter.tag} = ANY(${tools.tags})`,
    filter.mcpServerId === undefined ? undefined : eq(tools.mcpServerId, filter.mcpServerId),
    // Every word must appear in the name, the title or the description.
    ...(filter.search ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((word) =>
        or(
          ilike(tools.name, likePattern(word)),
          ilike(tools.title, likePattern(word)),
          ilike(tools.description, likePattern(word)),
        ),
      ),
  ];
  return db
    .select()
    .from(tools)
    .where(and(...conditions))
    .orderBy(asc(tools.name))
    .limit(first);
}

export async function findToolByName(db: Db, name: string): Promise<ToolRow | undefined> {
  const [row] = await db.select().from(tools).where(eq(tools.name, name));
  return row;
}

export async function toolById(db: Db, id: string): Promise<ToolRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(tools).where(eq(tools.id, id));
  return row;
}

export async function toolsByIds(db: Db, ids: readonly string[]): Promise<(ToolRow | null)[]> {
  return rowsByIds(ids, (valid) => db.select().from(tools).where(inArray(tools.id, valid)));
}

/** The new server; undefined if the name is taken. */
export async function insertMcpServer(
  db: Db,
  values: typeof mcpServers.$inferInsert,
): Promise<McpServerRow | undefined> {
  const [row] = await db
    .insert(mcpServers)
    .values(values)
    .onConflictDoNothing({ target: mcpServers.name })
    .returning();
  return row;
}

export async function mcpServerById(db: Db, id: string): Promise<McpServerRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(mcpServers).where(eq(mcpServers.id, id));
  return row;
}

export const mcpServersByIds = (db: Db, ids: readonly string[]) =>
  rowsByIds(ids, (valid) => db.select().from(mcpServers).where(inArray(mcpServers.id, valid)));

export const listMcpServers = (db: Db): Promise<McpServerRow[]> =>
  db.select().from(mcpServers).orderBy(asc(mcpServers.name));

export async function deleteMcpServer(db: Db, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const deleted = await db
    .delete(mcpServers)
    .where(eq(mcpServers.id, id))
    .returning({ id: mcpServers.id });
  return deleted.length > 0;
}

/**
 * Makes the registry's tools of a server match what it lists: new ones inserted, known ones
 * updated (and enabled), vanished ones disabled. `imported` are ready-made rows.
 */
export async function syncMcpTools(
  db: Db,
  serverId: string,
  imported: (typeof tools.$inferInsert)[],
): Promise<McpServerRow | undefined> {
  return db.transaction(async (tx) => {
    const [server] = await tx
      .select()
      .from(mcpServers)
      .where(eq(mcpServers.id, serverId))
      .for('update');
    if (!server) return undefined;
    const names = imported.map((tool) => tool.name);
    for (const tool of imported) {
      await tx
        .insert(tools)
        .values(tool)
        .onConflictDoUpdate({
          target: tools.name,
          set: {
            title: tool.title,
            description: tool.description,
            inputSchema: tool.inputSchema,
            outputSchema: tool.outputSchema,
            annotations: tool.annotations,
            config: tool.config,
            enabled: true,
            updatedAt: sql`now()`,
          },
          // A same-named tool of another origin is not taken over.
          setWhere: eq(tools.mcpServerId, serverId),
        });
    }
    await tx
      .update(tools)
      .set({ enabled: false, updatedAt: sql`now()` })
      .where(
        and(
          eq(tools.mcpServerId, serverId),
          names.length ? notInArray(tools.name, names) : undefined,
        ),
      );
    const [synced] = await tx
      .update(mcpServers)
      .set({ syncedAt: sql`now()` })
      .where(eq(mcpServers.id, serverId))
      .returning();
    return synced;
  });
}
