// createRouter: the one public endpoint. @apollo/gateway on a composed supergraph file,
// served by graphql-yoga over HTTP, SSE and graphql-ws, with a circuit breaker per subgraph
// and federated subscriptions (subscriptions.ts). Builds; main.ts listens.
import { ApolloGateway } from '@apollo/gateway';
import { readFileSync } from 'node:fs';
import { createYoga, type Plugin } from 'graphql-yoga';
import { Gauge } from 'prom-client';
import {
  baseContextFor,
  createGraphiQL,
  createEdgeVerifier,
  forwardedClientHeaders,
  createLogger,
  createMetrics,
  createRateLimits,
  packageVersion,
  GRAPHQL_PATH,
  listenGraphql,
  serviceYogaOptions,
  type BaseContext,
  type Listening,
  type IdentityVerifier,
} from '@supergraph/kit';
import { createBackpressure } from './backpressure.js';
import { clusterWorkerMetrics } from './cluster.js';
import type { RouterConfig } from './config.js';
import { BreakerDataSource } from './data-source.js';
import { usePlanExecutor } from './gateway-plugin.js';
import { useGraphqlSse } from './graphql-sse.js';
import { createInboundDedup } from './inbound-dedup.js';
import { createPersistedOperations } from './persisted-operations.js';
import { Planning } from './planning.js';
import { useRateLimits } from './rate-limits.js';
import { createSubscriptionGateway, useGatewaySubscriptions } from './subscriptions.js';

/** Where graphql-sse's protocol is served (its clients' `url`), both of its modes. */
export const SSE_PATH = `${GRAPHQL_PATH}/stream`;

/** Which worker of a cluster answered (cluster.ts): the worker's id, on every response. */
export const WORKER_HEADER = 'x-router-worker';

export interface RouterDeps {
  verifier?: IdentityVerifier;
  /** The composed supergraph SDL; read from config.supergraphPath when absent. */
  supergraphSdl?: string;
  /** Set in a worker of a cluster (main.ts): its id. */
  worker?: { id: number };
}

function useWorkerHeader(id: number): Plugin {
  return {
    onResponse({ response }) {
      response.headers.set(WORKER_HEADER, String(id));
    },
  };
}

export async function createRouter(config: RouterConfig, deps: RouterDeps = {}) {
  const logger = createLogger('router', config.logLevel);
  const metrics = createMetrics('router', { maxOperations: config.metrics.maxOperations });
  if (deps.worker) metrics.collect = clusterWorkerMetrics(metrics.registry).collect;
  const breakerGauge = new Gauge({
    name: 'router_breaker_state',
    help: 'Circuit breaker state per subgraph: 0 closed, 1 half-open, 2 open',
    labelNames: ['subgraph'],
    // Across a cluster's workers, each with its own breakers: the worst of them, not a sum.
    aggregator: 'max',
    registers: [metrics.registry],
  });
  const sharedFetches = metrics.counter(
    'router_subgraph_fetches_shared_total',
    'Subgraph queries answered by an identical request already in flight',
    ['subgraph'],
  );
  const dataSources = new Map<string, BreakerDataSource>();
  const backpressure = createBackpressure(config.backpressure, metrics);
  const inboundDedup = config.deduplicateInbound ? createInboundDedup(metrics) : undefined;
  const verifier =
    deps.verifier ?? createEdgeVerifier(config.identity, { logger, redisUrl: config.redisUrl });

  const subscriptions = createSubscriptionGateway({
    dataSources,
    logger,
    settings: {
      keepAliveMs: config.websocket.keepAliveMs,
      maxSubscriptionsPerConnection: config.websocket.maxSubscriptionsPerConnection,
      maxQueuedEvents: config.subscriptionMaxQueuedEvents,
    },
  });

  // The gateway loads the supergraph through this hook, which keeps its `update` so that
  // `reloadSupergraph` (SIGHUP in main.ts) can load a newly composed file.
  let updateSupergraph: ((sdl: string) => void) | undefined;
  const gateway = new ApolloGateway({
    supergraphSdl: async ({ update }) => {
      updateSupergraph = update;
      return { supergraphSdl: deps.supergraphSdl ?? readFileSync(config.supergraphPath, 'utf8') };
    },
    logger,
    buildService: ({ name, url }) => {
      const source = new BreakerDataSource({
        name,
        url: config.subgraphUrls[name] ?? url!,
        settings: { ...config.breaker, ...config.breakerOverrides[name] },
        retry: config.retry,
        shareInFlight: config.shareInFlight,
        logger,
        onStateChange: (subgraph) =>
          breakerGauge.set({ subgraph }, dataSources.get(subgraph)?.stateValue ?? 0),
        onShared: (subgraph) => sharedFetches.inc({ subgraph }),
      });
      dataSources.set(name, source);
      breakerGauge.set({ subgraph: name }, 0);
      return source;
    },
  });
  // One planning per loaded supergraph, for queries, mutations and subscriptions alike.
  let planning: Planning | undefined;
  gateway.onSchemaLoadOrUpdate(() => {
    planning = Planning.ofGateway(gateway);
    subscriptions.load(planning);
  });
  await gateway.load();
  const rateLimits = createRateLimits({ service: 'router', redisUrl: config.redisUrl, logger });
  await rateLimits.connected();

  const persisted = createPersistedOperations(config.persistedOperations, logger);

  const breakerStates = () =>
    Object.fromEntries([...dataSources].map(([name, source]) => [name, source.state]));

  const shared = serviceYogaOptions(config, {
    name: 'router',
    version: packageVersion(__dirname),
    capabilities: ['federation-2', 'circuit-breakers', 'subscriptions', 'graphiql'],
    endpoints: {
      subscriptions: { websocket: GRAPHQL_PATH, sse: GRAPHQL_PATH, graphqlSse: SSE_PATH },
    },
    readiness: {
      supergraph: async () => {
        if (!planning) throw new Error('the supergraph is not loaded');
      },
    },
    details: () => ({
      breakers: breakerStates(),
      subscriptions: subscriptions.stats,
      admission: backpressure.stats(),
      ...(deps.worker ? { worker: { id: deps.worker.id, pid: process.pid } } : {}),
    }),
    metrics,
    logger,
    routes: {},
  });

  const graphiql = config.graphiql
    ? createGraphiQL({
        title: 'AI platform supergraph',
        defaultQuery:
          '# Sign in above (the demo user is filled in during development), then run:\n{ me { id displayName email } }\n',
        signIn: config.env === 'development' ? 'demo' : 'blank',
      })
    : undefined;

  const yoga = createYoga<Record<string, unknown>, BaseContext>({
    ...shared,
    graphiql: graphiql?.options ?? false,
    renderGraphiQL: graphiql?.render,
    plugins: [
      ...shared.plugins,
      ...(graphiql ? [graphiql.plugin] : []),
      // graphql-sse's protocol on /graphql/stream, both its modes; plain SSE (POST or GET on
      // /graphql with Accept: text/event-stream) is yoga's own.
      useGraphqlSse({ path: SSE_PATH, resolveParams: persisted.resolveParams }),
      ...persisted.plugins,
      // Refusals first, so that a refused operation never waits in the admission queue.
      useRateLimits(rateLimits, config.rateLimits),
      usePlanExecutor({ gateway, planning: () => planning, dataSources, logger }),
      // Wraps the gateway's execute function, so it comes after it.
      backpressure.plugin,
      // Wraps the admission queue in turn: a query that joins one in flight takes no slot.
      ...(inboundDedup ? [inboundDedup.plugin] : []),
      useGatewaySubscriptions(subscriptions),
      ...(deps.worker ? [useWorkerHeader(deps.worker.id)] : []),
    ],
    context: async (initial) => {
      const base = await baseContextFor(initial, verifier, logger);
      // The security subgraph records them with sessions and counts sign-ins per address.
      Object.assign(
        base.forwardHeaders,
        forwardedClientHeaders(initial, config.rateLimits.trustedProxyHops),
      );
      return base;
    },
  });

  let listening: Listening | undefined;
  return {
    yoga,
    gateway,
    logger,
    metrics,
    breakers: dataSources,
    breakerStates,
    subscriptions,
    /** /metrics on its own port (METRICS_PORT), once listening. */
    get metricsUrl() {
      return listening?.metricsUrl;
    },
    /** Reads the trusted documents' manifest again (SIGHUP); keeps the old one if it fails. */
    reloadTrustedDocuments: () => persisted.reload(),
    /** The admission queue's numbers (backpressure.ts). */
    admission: backpressure.stats,
    /** Shared executions in flight and their callers; undefined when deduplication is off. */
    inboundDedup: inboundDedup?.stats,
    /** Where rate limits are counted: `memory` (this process) or `redis` (all replicas). */
    rateLimitStore: rateLimits.driver,
    /** Loads a new supergraph (by default the file again); open subscriptions end with
     * SUPERGRAPH_RELOADED so that clients subscribe again against it. */
    reloadSupergraph(sdl?: string) {
      if (!updateSupergraph) throw new Error('the supergraph is not loaded yet');
      updateSupergraph(sdl ?? readFileSync(config.supergraphPath, 'utf8'));
    },
    async listen(port = config.port) {
      listening = await listenGraphql({
        yoga,
        config,
        port,
        verifier,
        logger,
        metrics,
        resolveParams: persisted.resolveParams,
      });
      logger.info({ url: listening.url }, 'router listening');
      return { port: listening.port, url: listening.url };
    },
    async close() {
      await subscriptions.close();
      await listening?.close();
      await gateway.stop();
      await Promise.all([...dataSources.values()].map((source) => source.close()));
      await yoga.dispose();
      await rateLimits.close();
      if (!deps.verifier) await verifier.close?.();
    },
  };
}

export type Router = Awaited<ReturnType<typeof createRouter>>;
