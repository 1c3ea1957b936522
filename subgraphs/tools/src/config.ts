// Settings of the tools subgraph, parsed once from the environment by main.ts.
import { loadConfig, subgraphConfig, subgraphEnvShape } from '@supergraph/kit';
import { z } from 'zod';
import { parseEgressAllowList } from './http/index.js';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const envSchema = z.object({
  ...subgraphEnvShape('tools', 4005),
  /** Largest tool input or output schema, in bytes of JSON. */
  MAX_TOOL_SCHEMA_BYTES: count(65_536),
  /** An execution's time limit when its tool sets none. */
  TOOL_TIMEOUT_MS: ms(10_000),
  /** The longest time limit a tool may set. */
  TOOL_MAX_TIMEOUT_MS: ms(120_000),
  /** Heap of a JavaScript tool's sandbox. */
  TOOL_MEMORY_BYTES: count(64 * 1024 * 1024),
  /** Largest output kept of an execution (bytes of JSON); more is cut and flagged. */
  TOOL_OUTPUT_BYTES: count(256 * 1024),
  /** Executions one replica runs at once (and its JavaScript sandbox threads). */
  TOOLS_WORKERS: count(4),
  /** Executions of one user running at once, over all replicas. */
  TOOLS_MAX_RUNNING_PER_USER: count(4),
  /** Executions running at once, over all replicas. */
  TOOLS_MAX_RUNNING: count(64),
  /** Queued executions beyond which executeTool answers OVERLOADED. */
  TOOLS_MAX_QUEUED: count(1_000),
  /** Queued executions of one user beyond which executeTool answers OVERLOADED. */
  TOOLS_MAX_QUEUED_PER_USER: count(100),
  /** How long a worker's claim holds without renewal; a dead replica's work is taken back after it. */
  TOOLS_LEASE_MS: ms(30_000),
  /** How often idle workers look for work they were not told about. */
  TOOLS_POLL_MS: ms(1_000),
  /** Runs of an idempotent tool's execution at most (a retry follows a dead worker only). */
  TOOL_MAX_ATTEMPTS: count(3),
  /** Hosts, IPs and CIDRs HTTP and MCP tools may reach, comma-separated; empty: none. */
  TOOLS_EGRESS_ALLOW: z
    .string()
    .default('')
    .superRefine((value, context) => {
      try {
        parseEgressAllowList(value);
      } catch (error) {
        context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
      }
    }),
});

export type ToolsConfig = ReturnType<typeof toToolsConfig>;

export function toToolsConfig(env: z.infer<typeof envSchema>) {
  return {
    ...subgraphConfig('tools', env),
    maxToolSchemaBytes: env.MAX_TOOL_SCHEMA_BYTES,
    toolLimits: {
      timeoutMs: env.TOOL_TIMEOUT_MS,
      maxTimeoutMs: env.TOOL_MAX_TIMEOUT_MS,
      memoryBytes: env.TOOL_MEMORY_BYTES,
      outputBytes: env.TOOL_OUTPUT_BYTES,
    },
    queue: {
      workers: env.TOOLS_WORKERS,
      maxRunningPerUser: env.TOOLS_MAX_RUNNING_PER_USER,
      maxRunning: env.TOOLS_MAX_RUNNING,
      maxQueued: env.TOOLS_MAX_QUEUED,
      maxQueuedPerUser: env.TOOLS_MAX_QUEUED_PER_USER,
      leaseMs: env.TOOLS_LEASE_MS,
      pollMs: env.TOOLS_POLL_MS,
      maxAttempts: env.TOOL_MAX_ATTEMPTS,
    },
    egressAllow: env.TOOLS_EGRESS_ALLOW,
  };
}

export const parseConfig = (env: Record<string, string | undefined>): ToolsConfig =>
  toToolsConfig(loadConfig(envSchema, env));
