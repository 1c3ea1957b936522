// Settings of the tools subgraph, parsed once from the environment by main.ts.
import { loadConfig, subgraphConfig, subgraphEnvShape } from '@supergraph/kit';
import { z } from 'zod';

export const envSchema = z.object({
  ...subgraphEnvShape('tools', 4005),
  /** Largest tool input schema, in bytes of JSON. */
  MAX_TOOL_SCHEMA_BYTES: z.coerce.number().int().positive().default(65_536),
});

export type ToolsConfig = ReturnType<typeof toToolsConfig>;

export function toToolsConfig(env: z.infer<typeof envSchema>) {
  return {
    ...subgraphConfig('tools', env),
    maxToolSchemaBytes: env.MAX_TOOL_SCHEMA_BYTES,
  };
}

export const parseConfig = (env: Record<string, string | undefined>): ToolsConfig =>
  toToolsConfig(loadConfig(envSchema, env));
