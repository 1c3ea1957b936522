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
  /** Largest Yjs update a client may send in one piece, decoded. */
  MAX_UPDATE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(MIB / 4),
  /** An automatic snapshot of a document after this many updates... */
  DOCUMENT_SNAPSHOT_EVERY: z.coerce.number().int().positive().default(500),
  /** ...or this long after the first update since the last snapshot. */
  DOCUMENT_SNAPSHOT_INTERVAL_MS: z.coerce.number().int().positive().default(600_000),
  /** Documents each replica keeps live in memory (least recently used ones are dropped). */
  DOCUMENT_CACHE_SIZE: z.coerce.number().int().positive().default(1_000),
  /** A client's presence leaves unless set again within this time. */
  DOCUMENT_PRESENCE_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** How often an idle documentUpdates subscription checks the log for updates the pubsub lost. */
  DOCUMENT_UPDATES_POLL_MS: z.coerce.number().int().positive().default(10_000),
});

export type UiConfig = ReturnType<typeof toUiConfig>;

export function toUiConfig(env: z.infer<typeof envSchema>) {
  return {
    ...subgraphConfig('ui', env),
    maxDocumentBytes: env.MAX_DOCUMENT_BYTES,
    collab: {
      maxUpdateBytes: env.MAX_UPDATE_BYTES,
      snapshotEvery: env.DOCUMENT_SNAPSHOT_EVERY,
      snapshotIntervalMs: env.DOCUMENT_SNAPSHOT_INTERVAL_MS,
      cacheSize: env.DOCUMENT_CACHE_SIZE,
      presenceTimeoutMs: env.DOCUMENT_PRESENCE_TIMEOUT_MS,
      updatesPollMs: env.DOCUMENT_UPDATES_POLL_MS,
    },
  };
}

export const parseConfig = (env: Record<string, string | undefined>): UiConfig =>
  toUiConfig(loadConfig(envSchema, env));
