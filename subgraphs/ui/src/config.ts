// Settings of the ui subgraph, parsed once from the environment by main.ts.
import { loadConfig, subgraphConfig, subgraphEnvShape } from '@supergraph/kit';
import { z } from 'zod';

const MIB = 1_048_576;

export const envSchema = z.object({
  ...subgraphEnvShape('ui', 4004),
  /** Largest document content, in bytes of UTF-8. Half the default request body limit
   * (MAX_BODY_BYTES, 1 MiB on every service) so that a document at the limit still fits in a
   * request through the router once JSON-escaped. */
  MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(MIB / 2),
});

export type UiConfig = ReturnType<typeof toUiConfig>;

export function toUiConfig(env: z.infer<typeof envSchema>) {
  return {
    ...subgraphConfig('ui', env),
    maxDocumentBytes: env.MAX_DOCUMENT_BYTES,
  };
}

export const parseConfig = (env: Record<string, string | undefined>): UiConfig =>
  toUiConfig(loadConfig(envSchema, env));
