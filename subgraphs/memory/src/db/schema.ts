// Tables of the memory subgraph. Embeddings are pgvector `vector` values without a declared
// dimension: the dimension is the configured embedder's, checked at start (memory_settings)
// and fixed in the expression indexes built for it (vector-index.ts).
import { sql } from 'drizzle-orm';
import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

const vector = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (value) => `[${value.join(',')}]`,
  fromDriver: (value) => JSON.parse(value) as number[],
});

export const FOLD_POLICIES = ['REJECT', 'EVICT_OLDEST', 'EVICT_LEAST_RECENTLY_USED'] as const;
export type FoldPolicy = (typeof FOLD_POLICIES)[number];

export const folds = pgTable(
  'folds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    capacity: integer('capacity').notNull(),
    policy: text('policy').$type<FoldPolicy>().notNull().default('REJECT'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('folds_created_by_idx').on(table.createdBy, table.createdAt)],
);

export const memories = pgTable(
  'memories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    content: text('content').notNull(),
    metadata: jsonb('metadata')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    foldId: uuid('fold_id').references(() => folds.id, { onDelete: 'set null' }),
    parentId: uuid('parent_id').references((): AnyPgColumn => memories.id, {
      onDelete: 'set null',
    }),
    summaryLevel: integer('summary_level'),
    embedding: vector('embedding').notNull(),
    embeddingModel: text('embedding_model').notNull(),
    createdBy: uuid('created_by').notNull(),
    // Millisecond precision, as in JavaScript, so that a cursor holds the exact sort value.
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastAccessedAt: timestamp('last_accessed_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (table) => [
    index('memories_created_by_idx').on(table.createdBy, table.createdAt, table.id),
    index('memories_updated_idx').on(table.createdBy, table.updatedAt, table.id),
    index('memories_fold_idx').on(table.foldId, table.createdAt),
    index('memories_parent_idx').on(table.parentId),
    index('memories_metadata_idx').using('gin', table.metadata),
    index('memories_expires_idx')
      .on(table.expiresAt)
      .where(sql`${table.expiresAt} IS NOT NULL`),
    uniqueIndex('memories_fold_summary_idx')
      .on(table.foldId, table.summaryLevel)
      .where(sql`${table.summaryLevel} IS NOT NULL`),
  ],
);

/** Settings the data depends on, e.g. the embedder that made the stored vectors. */
export const memorySettings = pgTable('memory_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type MemoryRow = Omit<typeof memories.$inferSelect, 'embedding'>;
export type FoldRow = typeof folds.$inferSelect;
export const tables = { folds, memories, memorySettings };
