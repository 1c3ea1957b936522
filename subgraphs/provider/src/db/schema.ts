// Tables of the provider subgraph: AI providers and the models each one serves.
import {
  boolean,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

export const providerKind = pgEnum('provider_kind', [
  'OPENAI_COMPATIBLE',
  'ANTHROPIC',
  'OFFLINE_ECHO',
]);
export const modelCapability = pgEnum('model_capability', [
  'CHAT',
  'EMBEDDINGS',
  'VISION',
  'TOOLS',
  'JSON',
]);

export const providers = pgTable('providers', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  kind: providerKind('kind').notNull(),
  baseUrl: text('base_url'),
  // Plaintext for now: encryption at rest (envelope encryption with the security subgraph's
  // keys) is a later issue. Never selected into a GraphQL response: see Provider.hasApiKey.
  apiKey: text('api_key'),
  enabled: boolean('enabled').notNull().default(true),
  weight: integer('weight').notNull().default(1),
  /** Requests per minute this platform sends the provider at most (token bucket); null: no limit. */
  rateLimitPerMinute: integer('rate_limit_per_minute'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const models = pgTable(
  'models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => providers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    capabilities: modelCapability('capabilities').array().notNull(),
    contextWindow: integer('context_window').notNull(),
    inputPricePerMillion: doublePrecision('input_price_per_million').notNull(),
    outputPricePerMillion: doublePrecision('output_price_per_million').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique('models_provider_id_name_unique').on(table.providerId, table.name)],
);

export const COMPLETION_STATUSES = ['OK', 'ERROR', 'CANCELLED'] as const;

/** One row per completion, streamed or not, whatever its outcome: usage, cost, latency. */
export const usageRecords = pgTable(
  'usage_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    providerId: uuid('provider_id').references(() => providers.id, { onDelete: 'set null' }),
    modelId: uuid('model_id').references(() => models.id, { onDelete: 'set null' }),
    promptTokens: integer('prompt_tokens').notNull(),
    completionTokens: integer('completion_tokens').notNull(),
    costUsd: doublePrecision('cost_usd').notNull(),
    latencyMs: integer('latency_ms').notNull(),
    status: text('status').$type<(typeof COMPLETION_STATUSES)[number]>().notNull(),
    streamed: boolean('streamed').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('usage_records_user_idx').on(table.userId, table.createdAt)],
);

/** A user's monthly spending limit, checked before every call. */
export const budgets = pgTable('budgets', {
  userId: uuid('user_id').primaryKey(),
  monthlyLimitUsd: doublePrecision('monthly_limit_usd').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type UsageRow = typeof usageRecords.$inferSelect;
export type ProviderRow = typeof providers.$inferSelect;
export type ModelRow = typeof models.$inferSelect;
export type NewProvider = typeof providers.$inferInsert;
export type NewModel = typeof models.$inferInsert;
export const tables = { providers, models, usageRecords, budgets };
