// createSubgraphServer: graphql-yoga on a federation subgraph schema, with GraphQL over HTTP,
// SSE and graphql-ws on one port, the service endpoints, error masking and request ids.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { useRequestSignal } from './cancellation.js';
import { createGraphiQL } from './graphiql.js';
import { withEventLoopTurns } from './event-loop-turns.js';
import { packageVersion, type ServiceConfig, type SubgraphConfig } from './config.js';
import { openDatabase, type DatabaseHandle, type DatabaseOptions } from './database.js';
import { createEdgeVerifier, type Identity, type IdentityVerifier } from './identity.js';
import type { Logger } from './logger.js';
import { createLogger } from './logger.js';
import { createMetrics, type ServiceMetrics } from './metrics.js';
import { baseContextFor, type BaseContext, type Readiness } from './service-plugins.js';
import { serviceYogaOptions } from './service-yoga.js';
import { GRAPHQL_PATH, listenGraphql, type Listening } from './websocket.js';

export type { BaseContext };

export interface SubgraphServerOptions<TContext extends BaseContext> {
  config: ServiceConfig;
  /** The subgraph's src/ (or dist/) folder: schema.graphql is read from it and the version
   * from the package.json beside it. */
  sourceDir: string;
  /** Resolvers typed by GraphQL Code Generator from the subgraph's SDL. */
  resolvers: object;
  /** Verifies bearer tokens; by default against the security subgraph's JWKS. */
  verifier?: IdentityVerifier;
  /** The subgraph's database: checked by /readyz and closed with the server. */
  database?: Pick<DatabaseHandle<never>, 'ping' | 'close'>;
  /** More named checks for /readyz. */
  readiness?: Readiness;
  capabilities?: string[];
  /** Adds this subgraph's own members to the base context (db handles, loaders...). */
  context: (base: BaseContext) => TContext | Promise<TContext>;
  /** Extra routes, e.g. `/.well-known/jwks.json` or `/mcp`: each receives every method and
   * checks it itself (the standard /health, /readyz, /v1/metadata and /metrics are GET-only). */
  routes?: Record<string, (request: Request) => Response | Promise<Response>>;
  logger?: Logger;
  metrics?: ServiceMetrics;
  /** Releases what else the subgraph holds (pubsub...) when the server closes. */
  onClose?: () => Promise<void>;
}

/** What a subgraph factory accepts besides its config (tests inject a verifier). */
export interface SubgraphDeps {
  verifier?: IdentityVerifier;
}

export interface SubgraphServer<TContext extends BaseContext> {
  yoga: YogaServerInstance<Record<string, unknown>, TContext>;
  schema: ReturnType<typeof buildSubgraphSchema>;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Listens on config.host:config.port (0 picks a free port); resolves with the URL. */
  listen(port?: number): Promise<{ port: number; url: string; metricsUrl: string | undefined }>;
  close(): Promise<void>;
}

type SchemaModule = Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: DocumentNode }>;

/** Opens a subgraph's database with the migrations in `<sourceDir>/db/migrations`. */
export function openSubgraphDatabase<TSchema extends Record<string, unknown>>(
  config: SubgraphConfig,
  sourceDir: string,
  tables: TSchema,
  options: Pick<DatabaseOptions<TSchema>, 'vector' | 'sessionSettings' | 'onQuery'> = {},
): Promise<DatabaseHandle<TSchema>> {
  return openDatabase({
    ...config.database,
    ...options,
    schema: tables,
    migrationsFolder: `${sourceDir}/db/migrations`,
  });
}

export function createSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): SubgraphServer<TContext> {
  const { config, sourceDir, database, capabilities = [] } = options;
  const logger = options.logger ?? createLogger(config.name, config.logLevel);
  const metrics =
    options.metrics ?? createMetrics(config.name, { maxOperations: config.metrics.maxOperations });
  const verifier =
    options.verifier ?? createEdgeVerifier(config.identity, { logger, redisUrl: config.redisUrl });
  const readiness: Readiness = {
    ...(database ? { database: () => database.ping() } : {}),
    ...options.readiness,
  };
  const schema = buildSubgraphSchema({
    typeDefs: parse(readFileSync(`${sourceDir}/schema.graphql`, 'utf8')),
    resolvers: withEventLoopTurns(options.resolvers) as SchemaModule['resolvers'],
  });
  const shared = serviceYogaOptions(config, {
    name: config.name,
    version: packageVersion(sourceDir),
    capabilities,
    endpoints: { subscriptions: { websocket: GRAPHQL_PATH, sse: GRAPHQL_PATH } },
    readiness,
    metrics,
    logger,
    routes: options.routes ?? {},
  });

  // The router's offline GraphiQL, without its sign-in bar: tokens go in the Headers tab.
  const graphiql =
    config.env === 'development'
      ? createGraphiQL({
          title: `${config.name} subgraph`,
          defaultQuery: `# The ${config.name} subgraph alone; the whole API is at the router.\n# Put {"Authorization": "Bearer <token>"} in Headers.\n{ _service { sdl } }`,
          signIn: 'none',
        })
      : undefined;
  const yoga = createYoga<Record<string, unknown>, TContext>({
    ...shared,
    schema,
    graphiql: graphiql?.options ?? false,
    renderGraphiQL: graphiql?.render,
    // Work stops when its caller stops (cancellation.ts).
    plugins: [
      ...shared.plugins,
      ...(graphiql ? [graphiql.plugin] : []),
      useRequestSignal(),
    ] as Plugin<TContext>[],
    context: async (initial) => {
      const base = await baseContextFor(initial, verifier, logger);
      return options.context(base);
    },
  });

  let listening: Listening | undefined;

  return {
    yoga,
    schema,
    logger,
    metrics,
    async listen(port = config.port) {
      listening = await listenGraphql({ yoga, config, port, verifier, logger, metrics });
      logger.info({ url: listening.url }, `${config.name} subgraph listening`);
      return { port: listening.port, url: listening.url, metricsUrl: listening.metricsUrl };
    },
    async close() {
      await listening?.close();
      await yoga.dispose();
      await options.onClose?.();
      // A verifier given in the options is its giver's to close.
      if (!options.verifier) await verifier.close?.();
      await database?.close();
    },
  };
}

export type { Identity };

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Builds a service, listens, and closes it on SIGINT/SIGTERM; exits 1 if it cannot start. */
export async function runService(
  build: () => Promise<{ listen(): Promise<unknown>; close(): Promise<void>; logger?: Logger }>,
): Promise<void> {
  try {
    const service = await build();
    await service.listen();
    for (const signal of SHUTDOWN_SIGNALS) {
      process.once(signal, () => {
        service.logger?.info({ signal }, 'shutting down');
        service.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
