// Settings of the router, parsed once from the environment by main.ts.
import {
  loadConfig,
  optionalBooleanSetting,
  loginRateLimitEnvShape,
  loginRateLimitOf,
  portSetting,
  positiveInt,
  serviceConfig,
  serviceEnvShape,
} from '@supergraph/kit';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { PersistedOperationSettings } from './persisted-operations.js';
import type { RetrySettings } from './retry-policy.js';

const breakerSettings = z.object({
  /** A fetch's deadline, its retries included; the fetch is aborted when it passes. */
  timeoutMs: z.number().int().positive(),
  /** Failure percentage in the rolling window that opens the breaker. */
  errorThresholdPercentage: z.number().min(1).max(100),
  /** Calls in the window before the percentage counts. */
  volumeThreshold: z.number().int().min(0),
  /** How long the breaker stays open before letting one trial call through (half-open). */
  resetTimeoutMs: z.number().int().positive(),
  rollingCountTimeoutMs: z.number().int().positive(),
});

export type BreakerSettings = z.infer<typeof breakerSettings>;

/** A `key=value,key=value` setting; `parse` checks each entry (undefined refuses it). */
function keyValueList<T>(
  fallback: string,
  expected: string,
  parse: (key: string, value: string) => T | undefined,
) {
  return z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const entries: Record<string, T> = {};
      for (const entry of text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)) {
        const [key, value] = entry.split(/=(.*)/s);
        const parsed = key && value !== undefined ? parse(key, value) : undefined;
        if (parsed === undefined) {
          ctx.addIssue({ code: 'custom', message: `expected ${expected}, got "${entry}"` });
          return z.NEVER;
        }
        entries[key!] = parsed;
      }
      return entries;
    });
}

/** `name=url,name=url` */
const subgraphUrls = keyValueList('', 'name=url', (_name, url) =>
  z.string().url().safeParse(url).success ? url : undefined,
);

const breakerOverrides = z
  .string()
  .default('{}')
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: {"memory":{"timeoutMs":2000}}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(breakerSettings.partial()));

/** More workers than this is a typo, not a machine. */
const MAX_WORKERS = 1_024;

/** Subscriptions are not admitted through the queue (backpressure.ts says why). */
const OPERATION_TYPES = ['query', 'mutation'] as const;

/** `mutation=1,query=0`: the admission priority of each operation type (higher goes first). */
const operationPriorities = keyValueList(
  'mutation=1,query=0',
  'query|mutation=integer',
  (type, priority) =>
    OPERATION_TYPES.includes(type as never) && /^-?\d+$/.test(priority)
      ? Number(priority)
      : undefined,
) as z.ZodType<Partial<Record<(typeof OPERATION_TYPES)[number], number>>, z.ZodTypeDef, unknown>;

export const envSchema = z.object({
  ...serviceEnvShape,
  PORT: portSetting(4000),
  SUPERGRAPH_PATH: z.string().default('schema/supergraph.graphql'),
  SUBGRAPH_URLS: subgraphUrls,
  /** GraphiQL on GET /graphql (default: outside production only). */
  GRAPHIQL: optionalBooleanSetting,
  BREAKER_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  BREAKER_ERROR_THRESHOLD_PERCENTAGE: z.coerce.number().min(1).max(100).default(50),
  BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(0).default(5),
  BREAKER_RESET_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  BREAKER_ROLLING_WINDOW_MS: z.coerce.number().int().positive().default(10_000),
  BREAKER_OVERRIDES: breakerOverrides,
  SUBSCRIPTION_MAX_QUEUED_EVENTS: z.coerce.number().int().positive().default(1_000),
  /** Automatic persisted queries (clients send a document's sha256, the document once). */
  APQ: z.enum(['true', 'false']).default('true'),
  /** A manifest of trusted documents (`npm run trusted-documents`), read at start and on SIGHUP. */
  TRUSTED_DOCUMENTS_PATH: z.string().default(''),
  /** Refuse every operation that is not in the manifest. */
  TRUSTED_DOCUMENTS_ONLY: z.enum(['true', 'false']).default('false'),
  // Rate limits (rate-limits.ts): per identity, and for login/signUp per account and per IP.
  RATE_LIMIT_POINTS: positiveInt(1_200),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  ...loginRateLimitEnvShape,
  RATE_LIMIT_LOGIN_IP_POINTS: positiveInt(30),
  RATE_LIMIT_LOGIN_IP_WINDOW_SECONDS: positiveInt(60),
  RATE_LIMIT_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  // Backpressure (backpressure.ts): bounded concurrency and queue per router process.
  ROUTER_MAX_CONCURRENCY: positiveInt(128),
  ROUTER_MAX_QUEUE: z.coerce.number().int().min(0).default(512),
  ROUTER_QUEUE_TIMEOUT_MS: positiveInt(5_000),
  ROUTER_QUEUE_ORDER: z.enum(['fifo', 'lifo', 'priority']).default('fifo'),
  ROUTER_QUEUE_PRIORITIES: operationPriorities,
  ROUTER_PRIORITY_SECRET: z.string().default(''),
  // Identical subgraph queries in flight share one request (data-source.ts).
  SUBGRAPH_SHARE_IN_FLIGHT: z.enum(['true', 'false']).default('true'),
  /** Identical queries of one identity in flight at once share one execution (inbound-dedup.ts). */
  ROUTER_DEDUPLICATE_INBOUND: z.enum(['true', 'false']).default('false'),
  /** Worker processes sharing the port (cluster.ts): a number, or `auto` (one per core the
   * process may use: a container's CPU limit counts).
   * Unset: `auto` in production, 1 elsewhere; 1 runs no cluster at all. */
  ROUTER_WORKERS: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.union([z.literal('auto'), z.coerce.number().int().min(1).max(MAX_WORKERS)]).optional(),
  ),
  SUBGRAPH_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  SUBGRAPH_RETRY_BASE_MS: z.coerce.number().int().positive().default(50),
  SUBGRAPH_RETRY_MAX_MS: z.coerce.number().int().positive().default(1_000),
  SUBGRAPH_RETRY_BUDGET_PERCENT: z.coerce.number().min(0).max(100).default(20),
  SUBGRAPH_RETRY_BUDGET_MIN: z.coerce.number().int().min(0).default(10),
});

/** The cores this process may use: the machine's, or fewer when a container's CPU limit
 * (cgroup v2 `cpu.max`: "quota period", or "max" for none) says so. */
export function usableCores(cpuMax = readCpuMax()): number {
  const cores = availableParallelism();
  const [quota, period] = (cpuMax ?? '').trim().split(/\s+/).map(Number);
  if (!quota || !period || !Number.isFinite(quota)) return cores;
  return Math.max(1, Math.min(cores, Math.ceil(quota / period)));
}

function readCpuMax(): string | undefined {
  try {
    return readFileSync('/sys/fs/cgroup/cpu.max', 'utf8');
  } catch {
    return undefined;
  }
}

function workersOf(setting: number | 'auto' | undefined, nodeEnv: string): number {
  const workers = setting ?? (nodeEnv === 'production' ? 'auto' : 1);
  return workers === 'auto' ? usableCores() : workers;
}

export function toRouterConfig(env: z.infer<typeof envSchema>) {
  return {
    ...serviceConfig('router', env),
    supergraphPath: env.SUPERGRAPH_PATH,
    subgraphUrls: env.SUBGRAPH_URLS,
    graphiql: env.GRAPHIQL ?? env.NODE_ENV !== 'production',
    breaker: {
      timeoutMs: env.BREAKER_TIMEOUT_MS,
      errorThresholdPercentage: env.BREAKER_ERROR_THRESHOLD_PERCENTAGE,
      volumeThreshold: env.BREAKER_VOLUME_THRESHOLD,
      resetTimeoutMs: env.BREAKER_RESET_TIMEOUT_MS,
      rollingCountTimeoutMs: env.BREAKER_ROLLING_WINDOW_MS,
    } satisfies BreakerSettings,
    breakerOverrides: env.BREAKER_OVERRIDES as Record<string, Partial<BreakerSettings>>,
    /** Identical subgraph queries in flight (same subgraph, body and identity) share one
     * request; never mutations, nor the entity fetches of a mutation. */
    shareInFlight: env.SUBGRAPH_SHARE_IN_FLIGHT === 'true',
    /** Events one subscriber may have waiting before its subscription ends with OVERLOADED. */
    subscriptionMaxQueuedEvents: env.SUBSCRIPTION_MAX_QUEUED_EVENTS,
    persistedOperations: {
      apq: env.APQ === 'true',
      trustedDocumentsPath: env.TRUSTED_DOCUMENTS_PATH || undefined,
      trustedDocumentsOnly: env.TRUSTED_DOCUMENTS_ONLY === 'true',
    } satisfies PersistedOperationSettings,
    rateLimits: {
      perIdentity: { points: env.RATE_LIMIT_POINTS, windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS },
      loginPerAccount: loginRateLimitOf(env),
      loginPerIp: {
        points: env.RATE_LIMIT_LOGIN_IP_POINTS,
        windowSeconds: env.RATE_LIMIT_LOGIN_IP_WINDOW_SECONDS,
      },
      /** Proxies in front of the router whose X-Forwarded-For entries are believed. */
      trustedProxyHops: env.RATE_LIMIT_TRUSTED_PROXY_HOPS,
    },
    backpressure: {
      concurrency: env.ROUTER_MAX_CONCURRENCY,
      maxQueue: env.ROUTER_MAX_QUEUE,
      queueTimeoutMs: env.ROUTER_QUEUE_TIMEOUT_MS,
      order: env.ROUTER_QUEUE_ORDER,
      operationPriorities: env.ROUTER_QUEUE_PRIORITIES,
      /** A caller that sends it in x-priority-secret may choose its priority (x-priority). */
      prioritySecret: env.ROUTER_PRIORITY_SECRET || undefined,
    },
    deduplicateInbound: env.ROUTER_DEDUPLICATE_INBOUND === 'true',
    workers: workersOf(env.ROUTER_WORKERS, env.NODE_ENV),
    /** Failed query fetches tried again, within BREAKER_TIMEOUT_MS and a budget per subgraph
     * over BREAKER_ROLLING_WINDOW_MS. */
    retry: {
      retries: env.SUBGRAPH_RETRIES,
      baseMs: env.SUBGRAPH_RETRY_BASE_MS,
      maxMs: env.SUBGRAPH_RETRY_MAX_MS,
      budgetPercent: env.SUBGRAPH_RETRY_BUDGET_PERCENT,
      budgetMin: env.SUBGRAPH_RETRY_BUDGET_MIN,
    } satisfies RetrySettings,
  };
}

export type RouterConfig = ReturnType<typeof toRouterConfig>;

export const parseConfig = (env: Record<string, string | undefined>): RouterConfig =>
  toRouterConfig(loadConfig(envSchema, env));
