// Tables of the tools subgraph: the tool registry, the remote MCP servers tools are imported
// from, and executions (durable records that workers of any replica claim).
import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { HttpToolConfig } from '../http/index.js';

export type ToolKindValue = 'javascript' | 'http' | 'mcp' | 'client';

export interface ToolAnnotationsValue {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a tool of each kind needs to run; the kind says which member is set. */
export interface ToolRunConfig {
  javascript?: { code: string };
  http?: HttpToolConfig;
  mcp?: { serverId: string; remoteName: string };
}

export const mcpServers = pgTable('mcp_servers', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  url: text('url').notNull(),
  headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  syncedAt: timestamp('synced_at', { withTimezone: true }),
});

export const tools = pgTable('tools', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  title: text('title'),
  description: text('description').notNull(),
  inputSchema: jsonb('input_schema').$type<Record<string, unknown>>().notNull(),
  outputSchema: jsonb('output_schema').$type<Record<string, unknown>>(),
  annotations: jsonb('annotations').$type<ToolAnnotationsValue>().notNull().default({
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  }),
  tags: text('tags')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  version: text('version').notNull().default('1.0.0'),
  kind: text('kind').$type<ToolKindValue>().notNull().default('client'),
  config: jsonb('config').$type<ToolRunConfig>().notNull().default({}),
  mcpServerId: uuid('mcp_server_id').references(() => mcpServers.id, { onDelete: 'cascade' }),
  timeoutMs: integer('timeout_ms'),
  enabled: boolean('enabled').notNull().default(true),
  // A user of the security subgraph, by id only: no foreign key across subgraphs, and text so
  // as not to depend on how that subgraph forms its ids.
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type ExecutionStatusValue =
  'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

export interface ExecutionLogValue {
  level: string;
  message: string;
  at: string;
}

export interface ExecutionProgressValue {
  progress: number;
  total?: number;
  message?: string;
}

export const executions = pgTable(
  'executions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Kept when the tool is deleted: the record outlives it.
    toolId: uuid('tool_id').references(() => tools.id, { onDelete: 'set null' }),
    toolName: text('tool_name').notNull(),
    toolVersion: text('tool_version').notNull(),
    userId: text('user_id').notNull(),
    idempotencyKey: text('idempotency_key'),
    arguments: jsonb('arguments').notNull(),
    status: text('status').$type<ExecutionStatusValue>().notNull().default('queued'),
    // Whether a run cut short by a dead worker may run again (the tool's idempotentHint).
    retryable: boolean('retryable').notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    timeoutMs: integer('timeout_ms').notNull(),
    // The replica that runs (or last ran) it; the lease below says whether it still holds it.
    worker: text('worker'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    output: jsonb('output'),
    outputTruncated: boolean('output_truncated').notNull().default(false),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    logs: jsonb('logs').$type<ExecutionLogValue[]>().notNull().default([]),
    logsTruncated: boolean('logs_truncated').notNull().default(false),
    progress: jsonb('progress').$type<ExecutionProgressValue>(),
    cpuMs: integer('cpu_ms'),
    memoryBytes: real('memory_bytes'),
    durationMs: integer('duration_ms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('executions_user_idempotency_key')
      .on(table.userId, table.idempotencyKey)
      .where(sql`${table.idempotencyKey} IS NOT NULL`),
    // The queue: workers take the oldest queued first.
    index('executions_queued')
      .on(table.createdAt)
      .where(sql`${table.status} = 'queued'`),
    // The reaper: running executions whose lease ran out.
    index('executions_running_lease')
      .on(table.leaseExpiresAt)
      .where(sql`${table.status} = 'running'`),
    index('executions_user_created').on(table.userId, table.createdAt),
  ],
);

export type McpServerRow = typeof mcpServers.$inferSelect;
export type ToolRow = typeof tools.$inferSelect;
export type ExecutionRow = typeof executions.$inferSelect;
/** A User as this subgraph knows it: a reference to the security subgraph's entity. */
export interface UserRef {
  __typename?: 'User';
  id: string;
}
export const tables = { tools, mcpServers, executions };
