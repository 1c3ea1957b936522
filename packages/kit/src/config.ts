// Config loading: each service describes its settings as a zod object whose every field has
// a default that works on a fresh clone; main.ts parses the environment once with it.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

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

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export interface WebSocketLimits {
  connectionInitTimeoutMs: number;
  keepAliveMs: number;
  maxSubscriptionsPerConnection: number;
}

export const DEFAULT_WEBSOCKET_LIMITS: WebSocketLimits = {
  connectionInitTimeoutMs: 3_000,
  keepAliveMs: 12_000,
  maxSubscriptionsPerConnection: 100,
};

/** Settings every service has (router included). */
export const serviceEnvShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: optionalUrlSetting,
  SECURITY_JWKS_URL: z.string().url().default('http://127.0.0.1:4003/.well-known/jwks.json'),
  TOKEN_ISSUER: z.string().default('urn:supergraph:security'),
  TOKEN_AUDIENCE: z.string().default('urn:supergraph'),
  MAX_BODY_BYTES: positiveInt(1_048_576),
  /** graphql-ws: how long a socket may stay open before its connection_init. */
  WS_CONNECTION_INIT_TIMEOUT_MS: positiveInt(DEFAULT_WEBSOCKET_LIMITS.connectionInitTimeoutMs),
  /** graphql-ws: interval of WebSocket pings; a socket that misses a pong is dropped. */
  WS_KEEPALIVE_MS: positiveInt(DEFAULT_WEBSOCKET_LIMITS.keepAliveMs),
  /** graphql-ws: open subscriptions one connection may hold. */
  WS_MAX_SUBSCRIPTIONS: positiveInt(DEFAULT_WEBSOCKET_LIMITS.maxSubscriptionsPerConnection),
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

export interface ServiceConfig {
  name: string;
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  redisUrl: string | undefined;
  identity: { jwksUrl: string; issuer: string; audience: string };
  maxBodyBytes: number;
  websocket: WebSocketLimits;
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
    },
    maxBodyBytes: env.MAX_BODY_BYTES,
    websocket: {
      connectionInitTimeoutMs: env.WS_CONNECTION_INIT_TIMEOUT_MS,
      keepAliveMs: env.WS_KEEPALIVE_MS,
      maxSubscriptionsPerConnection: env.WS_MAX_SUBSCRIPTIONS,
    },
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
    },
    maxBodyBytes: 1_048_576,
    websocket: DEFAULT_WEBSOCKET_LIMITS,
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
