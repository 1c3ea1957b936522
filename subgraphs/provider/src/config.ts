// Settings of the provider subgraph, parsed once from the environment by main.ts.
import {
  loadConfig,
  optionalBooleanSetting,
  subgraphConfig,
  subgraphEnvShape,
} from '@supergraph/kit';
import { z } from 'zod';

export const envSchema = z.object({
  ...subgraphEnvShape('provider', 4002),
  /** Seeds the offline echo provider at start so a fresh clone has a model to call
   * (default: outside production only). */
  PROVIDER_SEED_OFFLINE_ECHO: optionalBooleanSetting,
  /** 32 random bytes, base64: seals provider API keys at rest. Required in production. */
  PROVIDER_SECRET_KEY: z
    .string()
    .optional()
    .refine(
      (value) => !value || Buffer.from(value, 'base64').length === 32,
      'must be 32 bytes, base64',
    ),
  PROVIDER_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PROVIDER_FIRST_TOKEN_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  PROVIDER_TOTAL_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  PROVIDER_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  PROVIDER_BREAKER_ERROR_THRESHOLD_PERCENTAGE: z.coerce.number().min(1).max(100).default(50),
  PROVIDER_BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(0).default(5),
  PROVIDER_BREAKER_RESET_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
});

export type ProviderConfig = ReturnType<typeof toProviderConfig>;

export function toProviderConfig(env: z.infer<typeof envSchema>) {
  return {
    ...subgraphConfig('provider', env),
    seedOfflineEcho: env.PROVIDER_SEED_OFFLINE_ECHO ?? env.NODE_ENV !== 'production',
    secretKey: env.PROVIDER_SECRET_KEY,
    calls: {
      timeouts: {
        connectMs: env.PROVIDER_CONNECT_TIMEOUT_MS,
        firstTokenMs: env.PROVIDER_FIRST_TOKEN_TIMEOUT_MS,
        totalMs: env.PROVIDER_TOTAL_TIMEOUT_MS,
      },
      retry: { maxRetries: env.PROVIDER_MAX_RETRIES, baseMs: 200, capMs: 5_000 },
      breaker: {
        errorThresholdPercentage: env.PROVIDER_BREAKER_ERROR_THRESHOLD_PERCENTAGE,
        volumeThreshold: env.PROVIDER_BREAKER_VOLUME_THRESHOLD,
        resetTimeoutMs: env.PROVIDER_BREAKER_RESET_TIMEOUT_MS,
      },
    },
  };
}

export const parseConfig = (env: Record<string, string | undefined>): ProviderConfig =>
  toProviderConfig(loadConfig(envSchema, env));
