// Tables of the tools subgraph: the tool registry.
import { boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const tools = pgTable('tools', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  description: text('description').notNull(),
  inputSchema: jsonb('input_schema').$type<Record<string, unknown>>().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  // A user of the security subgraph, by id only: no foreign key across subgraphs, and text so
  // as not to depend on how that subgraph forms its ids.
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type ToolRow = typeof tools.$inferSelect;
/** A User as this subgraph knows it: a reference to the security subgraph's entity. */
export interface UserRef {
  __typename?: 'User';
  id: string;
}
export const tables = { tools };
