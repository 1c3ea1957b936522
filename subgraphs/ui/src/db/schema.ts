// Tables of the ui subgraph: documents and visualizations. Owners are users of the security
// subgraph, kept here by id only: no foreign key across subgraphs, and text rather than uuid so
// that this table does not depend on how the security subgraph forms its ids.
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const visualizationKind = pgEnum('visualization_kind', [
  'CHART',
  'GRAPH',
  'TABLE',
  'TIMELINE',
]);

export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: text('owner_id').notNull(),
    title: text('title').notNull(),
    content: text('content').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('documents_owner_id_created_at_idx').on(table.ownerId, table.createdAt)],
);

export const visualizations = pgTable(
  'visualizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: text('owner_id').notNull(),
    title: text('title').notNull(),
    kind: visualizationKind('kind').notNull(),
    spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('visualizations_owner_id_created_at_idx').on(table.ownerId, table.createdAt)],
);

export type DocumentRow = typeof documents.$inferSelect;
export type VisualizationRow = typeof visualizations.$inferSelect;
/** A User as this subgraph knows it: a reference to the security subgraph's entity. */
export interface UserRef {
  __typename?: 'User';
  id: string;
}
export const tables = { documents, visualizations };
