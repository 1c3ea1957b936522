// Tables of the ui subgraph: documents (Yjs documents: an append-only update log, snapshots and
// named versions, with the plain text kept as a derived column), who they are shared with,
// and visualizations. Owners and authors are users of the security subgraph, kept here by id
// only: no foreign key across subgraphs, and text rather than uuid so that these tables do not
// depend on how the security subgraph forms its ids.
import {
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/** Binary data (a Yjs update or state), as PostgreSQL bytea. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

export const visualizationKind = pgEnum('visualization_kind', [
  'CHART',
  'GRAPH',
  'TABLE',
  'TIMELINE',
]);

export const shareRole = pgEnum('share_role', ['EDITOR', 'VIEWER']);
export const sharedKind = pgEnum('shared_kind', ['DOCUMENT', 'VISUALIZATION']);

/** documents.seq of a document stored as plain text before documents became Yjs documents:
 * converted into its first update when the subgraph starts (db/legacy.ts). */
export const LEGACY_SEQ = -1;

export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: text('owner_id').notNull(),
    title: text('title').notNull(),
    /** The text of the Y.Text "content" at seq, written in the transaction of each update. */
    content: text('content').notNull(),
    version: integer('version').notNull().default(1),
    /** The latest update's sequence number; the row's lock orders a document's writers. */
    seq: integer('seq').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('documents_owner_id_created_at_idx').on(table.ownerId, table.createdAt)],
);

/** Every update ever applied to a document, never rewritten: the history. */
export const documentUpdates = pgTable(
  'document_updates',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    update: bytea('update').notNull(),
    authorId: text('author_id').notNull(),
    /** The Yjs clientID of the sending client; null for a server-side edit. */
    clientId: text('client_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.documentId, table.seq] })],
);

/** The whole state of a document at seq: automatic snapshots (name null), from which a
 * document loads without replaying its log, and named versions. */
export const documentVersions = pgTable(
  'document_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    state: bytea('state').notNull(),
    name: text('name'),
    authorId: text('author_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('document_versions_document_id_seq_idx').on(table.documentId, table.seq)],
);

/** Who a document or visualization is shared with, besides its owner. */
export const shares = pgTable(
  'shares',
  {
    kind: sharedKind('kind').notNull(),
    resourceId: uuid('resource_id').notNull(),
    userId: text('user_id').notNull(),
    role: shareRole('role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.kind, table.resourceId, table.userId] }),
    index('shares_user_id_kind_idx').on(table.userId, table.kind),
  ],
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

export type Role = 'OWNER' | 'EDITOR' | 'VIEWER';
/** A row as resolvers see it: with the caller's role. */
export type DocumentRow = typeof documents.$inferSelect & { role: Role };
export type VisualizationRow = typeof visualizations.$inferSelect & { role: Role };
export type DocumentVersionRow = Omit<typeof documentVersions.$inferSelect, 'state'> & {
  state?: Uint8Array;
};
export type ShareRow = typeof shares.$inferSelect;
/** A User as this subgraph knows it: a reference to the security subgraph's entity. */
export interface UserRef {
  __typename?: 'User';
  id: string;
}
export const tables = { documents, documentUpdates, documentVersions, shares, visualizations };
