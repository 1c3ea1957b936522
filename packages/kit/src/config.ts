// Config loading: each service describes its settings as a zod object whose every field has
// a default that works on a fresh clone; main.ts parses the environment once with it.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CrossOriginPolicy } from './cross-origin.js';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './operation-limits.js';
import { REVOCATIONS_PATH } from './revocations.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig<S extends z.ZodTypeAny>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export const portSetting = (fallback: number) =>
  z.coerce.number().int().min(0).max(65_535).default(fallback);

/** An optional URL where an empty string means "not set" (as in a blank .env line). */
export const optionalUrlSetting = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().url().optional(),
);

/** PostgreSQL's statement_timeout of a subgraph's connections (database.ts). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** The demo user of development: created by the security subgraph (DEMO_USER_EMAIL,
 * DEMO_USER_PASSWORD default to it) and filled into the router's GraphiQL sign-in. */
export const DEMO_USER_DEFAULTS = { email: 'demo@example.com', password: 'demo-password' };

/** A positive integer setting with its default. */
export const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** `true` or `false`; unset or empty means "the default of the environment" (undefined). */
export const optionalBooleanSetting = z
  .enum(['true', 'false', ''])
  .optional()
  .transform((value) => (value ? value === 'true' : undefined));

/** A comma-separated list of web origins (`https://app.example.com`), or `*`. */
export const originList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const origins = value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    for (const origin of origins) {
      if (origin === '*') continue;
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (!parsed || parsed.origin !== origin) {
        ctx.addIssue({
          code: 'custom',
          message: `"${origin}" is not an origin (scheme://host[:port], no path), e.g. https://app.example.com`,
        });
      }
    }
    return origins;
  });

const optionalPort = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.coerce.number().int().min(0).max(65_535).optional(),
);

export interface WebSocketLimits {
  connectionInitTimeoutMs: number;
  keepAliveMs: number;
  maxSubscriptionsPerConnection: number;
  /** Largest WebSocket message accepted; a larger one closes the socket with 1009. */
  maxPayloadBytes: number;
}

export const DEFAULT_WEBSOCKET_LIMITS: WebSocketLimits = {
  connectionInitTimeoutMs: 3_000,
  keepAliveMs: 12_000,
  maxSubscriptionsPerConnection: 100,
  maxPayloadBytes: 1_048_576,
};

/** Settings every service has (router included). */
export const serviceEnvShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: optionalUrlSetting,
  SECURITY_JWKS_URL: z.string().url().default('http://127.0.0.1:4003/.well-known/jwks.json'),
  /** The security subgraph's feed of revoked sessions and keys (default: beside the JWKS). */
  SECURITY_REVOCATIONS_URL: optionalUrlSetting,
  /** How often that feed is polled (with Redis, revocations are also pushed at once). */
  REVOCATION_POLL_MS: positiveInt(2_000),
  TOKEN_ISSUER: z.string().default('urn:supergraph:security'),
  TOKEN_AUDIENCE: z.string().default('urn:supergraph'),
  MAX_BODY_BYTES: positiveInt(1_048_576),
  /** graphql-ws: how long a socket may stay open before its connection_init. */
  WS_CONNECTION_INIT_TIMEOUT_MS: positiveInt(DEFAULT_WEBSOCKET_LIMITS.connectionInitTimeoutMs),
  /** graphql-ws: interval of WebSocket pings; a socket that misses a pong is dropped. */
  WS_KEEPALIVE_MS: positiveInt(DEFAULT_WEBSOCKET_LIMITS.keepAliveMs),
  /** graphql-ws: open subscriptions one connection may hold. */
  WS_MAX_SUBSCRIPTIONS: positiveInt(DEFAULT_WEBSOCKET_LIMITS.maxSubscriptionsPerConnection),
  /** graphql-ws: largest message; a larger one closes the socket with 1009 (message too big). */
  WS_MAX_PAYLOAD_BYTES: positiveInt(DEFAULT_WEBSOCKET_LIMITS.maxPayloadBytes),
  /** Web origins allowed to call from a browser; localhost pages too outside production. */
  CORS_ORIGINS: originList,
  /** Serve /metrics on this port instead of the service's own (unset: the service's port). */
  METRICS_PORT: optionalPort,
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  /** Distinct operation names that get a metrics label of their own; later ones count as "other". */
  METRICS_MAX_OPERATIONS: positiveInt(100),
  /** Show unexpected errors' messages to clients (default: in development only). */
  UNMASKED_ERRORS: optionalBooleanSetting,
  /** Operation limits (operation-limits.ts), refused with QUERY_TOO_COMPLEX. */
  LIMIT_MAX_DEPTH: positiveInt(DEFAULT_OPERATION_LIMITS.maxDepth),
  LIMIT_MAX_ALIASES: nonNegativeInt(DEFAULT_OPERATION_LIMITS.maxAliases),
  LIMIT_MAX_ROOT_FIELDS: positiveInt(DEFAULT_OPERATION_LIMITS.maxRootFields),
  LIMIT_MAX_TOKENS: positiveInt(DEFAULT_OPERATION_LIMITS.maxTokens),
  LIMIT_MAX_DIRECTIVES: nonNegativeInt(DEFAULT_OPERATION_LIMITS.maxDirectives),
  LIMIT_MAX_COST: positiveInt(DEFAULT_OPERATION_LIMITS.maxCost),
  LIMIT_DEFAULT_LIST_SIZE: nonNegativeInt(DEFAULT_OPERATION_LIMITS.defaultListSize),
  /** Schema introspection; unset: on, except in production. */
  INTROSPECTION: optionalBooleanSetting,
};

type DatabaseKey<N extends string> = `${Uppercase<N>}_DATABASE_URL`;

/** The zod shape of the settings every subgraph shares; config.ts spreads it and adds its own. */
export function subgraphEnvShape<N extends string>(name: N, defaultPort: number) {
  const databaseKey = `${name.toUpperCase()}_DATABASE_URL` as DatabaseKey<N>;
  return {
    ...serviceEnvShape,
    PORT: portSetting(defaultPort),
    DATABASE_URL: optionalUrlSetting,
    DATA_DIR: z.string().default('.data'),
    /** PostgreSQL's statement_timeout of the subgraph's connections; 0 turns it off. */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(DEFAULT_STATEMENT_TIMEOUT_MS),
    ...({ [databaseKey]: optionalUrlSetting } as Record<DatabaseKey<N>, typeof optionalUrlSetting>),
  };
}

type ServiceEnv = z.infer<z.ZodObject<typeof serviceEnvShape>> & { PORT: number };
type SubgraphEnv = ServiceEnv & {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
  DATABASE_STATEMENT_TIMEOUT_MS: number;
} & Record<string, unknown>;

export interface MetricsSettings {
  /** A port of its own for /metrics; undefined: /metrics on the service's port. */
  port: number | undefined;
  /** Bearer token /metrics requires; undefined: none. */
  token: string | undefined;
  /** Distinct operation labels before further operations count as "other". */
  maxOperations: number;
}

export interface ServiceConfig {
  name: string;
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  redisUrl: string | undefined;
  identity: {
    jwksUrl: string;
    issuer: string;
    audience: string;
    revocationsUrl: string;
    revocationPollMs: number;
  };
  maxBodyBytes: number;
  websocket: WebSocketLimits;
  cors: CrossOriginPolicy;
  metrics: MetricsSettings;
  /** Unexpected errors reach clients with their message instead of masked. */
  unmaskedErrors: boolean;
  limits: OperationLimits;
  introspection: boolean;
}

export interface SubgraphConfig extends ServiceConfig {
  /** `url` set: node-postgres; otherwise embedded PGlite in `dataDir` (or memory if absent). */
  database: {
    url?: string | undefined;
    dataDir?: string | undefined;
    /** statement_timeout in ms, 0 for none (PGlite cannot honour it). */
    statementTimeoutMs?: number;
  };
}

export function serviceConfig(name: string, env: ServiceEnv): ServiceConfig {
  return {
    name,
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    redisUrl: env.REDIS_URL,
    identity: {
      jwksUrl: env.SECURITY_JWKS_URL,
      issuer: env.TOKEN_ISSUER,
      audience: env.TOKEN_AUDIENCE,
      revocationsUrl:
        env.SECURITY_REVOCATIONS_URL ?? new URL(REVOCATIONS_PATH, env.SECURITY_JWKS_URL).href,
      revocationPollMs: env.REVOCATION_POLL_MS,
    },
    maxBodyBytes: env.MAX_BODY_BYTES,
    websocket: {
      connectionInitTimeoutMs: env.WS_CONNECTION_INIT_TIMEOUT_MS,
      keepAliveMs: env.WS_KEEPALIVE_MS,
      maxSubscriptionsPerConnection: env.WS_MAX_SUBSCRIPTIONS,
      maxPayloadBytes: env.WS_MAX_PAYLOAD_BYTES,
    },
    cors: { origins: env.CORS_ORIGINS, allowLocalhost: env.NODE_ENV !== 'production' },
    metrics: {
      port: env.METRICS_PORT,
      token: env.METRICS_TOKEN,
      maxOperations: env.METRICS_MAX_OPERATIONS,
    },
    unmaskedErrors: env.UNMASKED_ERRORS ?? env.NODE_ENV === 'development',
    limits: {
      maxDepth: env.LIMIT_MAX_DEPTH,
      maxAliases: env.LIMIT_MAX_ALIASES,
      maxRootFields: env.LIMIT_MAX_ROOT_FIELDS,
      maxTokens: env.LIMIT_MAX_TOKENS,
      maxDirectives: env.LIMIT_MAX_DIRECTIVES,
      maxCost: env.LIMIT_MAX_COST,
      defaultListSize: env.LIMIT_DEFAULT_LIST_SIZE,
    },
    introspection: env.INTROSPECTION ?? env.NODE_ENV !== 'production',
  };
}

export function subgraphConfig(name: string, env: SubgraphEnv): SubgraphConfig {
  const own = env[`${name.toUpperCase()}_DATABASE_URL`];
  return {
    ...serviceConfig(name, env),
    database: {
      url: typeof own === 'string' ? own : env.DATABASE_URL,
      dataDir: `${env.DATA_DIR}/${name}`,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    },
  };
}

/** A config for tests: in-memory database, port 0, quiet logs, overridable. */
export function testSubgraphConfig(
  name: string,
  overrides: Partial<SubgraphConfig> = {},
): SubgraphConfig {
  return {
    name,
    env: 'test',
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    redisUrl: undefined,
    identity: {
      jwksUrl: 'http://127.0.0.1:4003/.well-known/jwks.json',
      issuer: 'urn:supergraph:security',
      audience: 'urn:supergraph',
      revocationsUrl: `http://127.0.0.1:4003${REVOCATIONS_PATH}`,
      revocationPollMs: 2_000,
    },
    maxBodyBytes: 1_048_576,
    websocket: DEFAULT_WEBSOCKET_LIMITS,
    cors: { origins: [], allowLocalhost: true },
    metrics: { port: undefined, token: undefined, maxOperations: 100 },
    unmaskedErrors: false,
    limits: DEFAULT_OPERATION_LIMITS,
    introspection: true,
    database: {},
    ...overrides,
  };
}

/** The version in the package.json next to a service's src/ (or dist/) folder. */
export function packageVersion(sourceDir: string): string {
  const { version } = JSON.parse(readFileSync(`${sourceDir}/../package.json`, 'utf8')) as {
    version: string;
  };
  return version;
}
