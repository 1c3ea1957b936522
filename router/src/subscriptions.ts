// Federated subscriptions. @apollo/gateway plans subscriptions but refuses to run them, so the
// router runs the plan itself: the plan's primary fetch is a subscription sent over graphql-ws
// to the owning subgraph, and for each of its events the gateway's own `executeQueryPlan` runs
// [primary, rest] with the primary fetch answered from the event. Entity fetches of other
// subgraphs, error wrapping and result shaping are then the gateway's, as for a query.
import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { FetchNode } from '@apollo/query-planner';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codedError, type BaseContext, type Logger } from '@supergraph/kit';
import type { BreakerDataSource } from './data-source.js';
import { FetchCoalescer } from './fetch-coalescer.js';
import { createSourceCache, gatewayRequestContext } from './gateway-plugin.js';
import { Feed, listen, type Listener } from './subscription-feed.js';
import { SubscriptionPlanning, type PreparedSubscription } from './subscription-planning.js';
import { UpstreamPool, type UpstreamStats } from './upstream.js';

export interface SubscriptionSettings {
  /** Interval of the protocol pings on upstream connections. */
  keepAliveMs: number;
  /** Subscriptions per upstream connection: the subgraphs' own per-connection limit. */
  maxSubscriptionsPerConnection: number;
  /** Events a subscriber may have waiting; past it the subscription ends with OVERLOADED. */
  maxQueuedEvents: number;
}

export interface SubscriptionStats extends UpstreamStats {
  /** Subscriptions open at the router. */
  subscribers: number;
  /** Feeds of @topic subscriptions, each shared by the identical subscriptions of one identity. */
  topicFeeds: number;
}

/** The name the query planner gives a subgraph fetch: `query Watch__security__1(...)`. */
const FETCH_NAME = /^(query|mutation)\s+[_A-Za-z][_0-9A-Za-z]*/;

const pick = (values: Record<string, unknown>, names: readonly string[] = []) =>
  Object.fromEntries(names.filter((name) => name in values).map((name) => [name, values[name]]));

export function createSubscriptionGateway(options: {
  dataSources: ReadonlyMap<string, BreakerDataSource>;
  logger: Logger;
  settings: SubscriptionSettings;
}) {
  const { dataSources, logger, settings } = options;
  const upstream = new UpstreamPool(logger, settings);
  const coalescer = new FetchCoalescer();
  const subscribers = new Set<Listener>();
  /** Shared feeds of @topic subscriptions, by identity, operation and variables. */
  const topics = new Map<string, Feed>();
  const sourceOf = createSourceCache();
  let supergraphSdl: string | undefined;
  let planning: SubscriptionPlanning | undefined;

  /** The services of one event: the primary fetch is answered from the event, and identical
   * entity fetches of one identity's events are coalesced. */
  function eventServices(
    primary: FetchNode,
    event: ExecutionResult,
    authorization: string,
  ): ServiceMap {
    const services: ServiceMap = {};
    for (const [name, source] of dataSources) {
      services[name] = {
        process: (request) => {
          if (name === primary.serviceName && request.request.query === primary.operation) {
            return Promise.resolve(event as GatewayGraphQLResponse);
          }
          // The planner names each fetch after the client's operation; the name changes
          // nothing in the answer, so fetches of differently named operations coalesce too.
          const query = request.request.query?.replace(FETCH_NAME, '$1') ?? '';
          const key = `${authorization}\n${name}\n${query}\n${JSON.stringify(request.request.variables)}`;
          return coalescer.run(key, () =>
            source.process(request as Parameters<typeof source.process>[0]),
          );
        },
      };
    }
    return services;
  }

  /** What one subscribe call asks for, read once from yoga's arguments. */
  interface Request {
    args: ExecutionArgs;
    context: BaseContext;
    operationName: string | undefined;
    variables: Record<string, unknown>;
    source: string;
    authorization: string;
  }

  /** The planner of the loaded supergraph, built when the first subscription needs it: a
   * router that serves no subscriptions never pays for a second planner. */
  function currentPlanning(): SubscriptionPlanning | undefined {
    if (!planning && supergraphSdl !== undefined)
      planning = new SubscriptionPlanning(supergraphSdl);
    return planning;
  }

  function subscribe(args: ExecutionArgs): ExecutionResult | AsyncIterable<ExecutionResult> {
    const current = currentPlanning();
    if (!current) {
      return { errors: [codedError('SUBGRAPH_UNAVAILABLE', 'The supergraph is not loaded yet.')] };
    }
    const context = args.contextValue as BaseContext;
    const request: Request = {
      args,
      context,
      operationName: args.operationName ?? undefined,
      variables: (args.variableValues ?? {}) as Record<string, unknown>,
      source: sourceOf(args.document),
      authorization: context.forwardHeaders['authorization'] ?? '',
    };
    let prepared: PreparedSubscription;
    try {
      prepared = current.prepare(args.document, request.operationName);
    } catch (error) {
      logger.error({ err: error }, 'subscription could not be planned');
      return {
        errors: [codedError('INTERNAL_SERVER_ERROR', 'The subscription could not be planned.')],
      };
    }
    const { serviceName } = prepared.primary;
    const dataSource = dataSources.get(serviceName);
    if (!dataSource) {
      return {
        errors: [
          codedError('SUBGRAPH_UNAVAILABLE', `The ${serviceName} subgraph is unknown.`, {
            extensions: { serviceName },
          }),
        ],
      };
    }
    if (dataSource.state === 'open') return { errors: [dataSource.circuitOpenError()] };
    const { authorization, source, operationName, variables } = request;
    const key = prepared.topic
      ? JSON.stringify([authorization, source, operationName ?? null, variables])
      : undefined;
    let feed = key === undefined ? undefined : topics.get(key);
    if (!feed?.open) {
      feed = createFeed(request, prepared, current, dataSource.url, () => {
        if (key !== undefined && topics.get(key) === feed) topics.delete(key);
      });
      if (key !== undefined) topics.set(key, feed);
    }
    return listen(feed, settings.maxQueuedEvents, subscribers);
  }

  function createFeed(
    { args, context, operationName, variables, source, authorization }: Request,
    { primary, eventPlan }: PreparedSubscription,
    current: SubscriptionPlanning,
    upstreamUrl: string,
    onClosed: () => void,
  ): Feed {
    const requestContext = gatewayRequestContext({
      document: args.document,
      source,
      operationName,
      variables,
      schema: args.schema,
      context,
      logger: context.logger,
    });
    const operationContext = buildOperationContext({
      schema: args.schema,
      operationDocument: args.document,
      operationName,
    });
    return new Feed({
      onClosed,
      start: (sink) =>
        upstream.subscribe(
          primary.serviceName,
          upstreamUrl,
          authorization || undefined,
          {
            query: primary.operation,
            variables: pick(variables, primary.variableUsages),
            operationName: primary.operationName,
          },
          sink,
        ),
      runEvent: async (event) =>
        (await executeQueryPlan(
          eventPlan,
          eventServices(primary, event, authorization),
          // Each event gets its own metrics: executeQueryPlan appends to them.
          { ...requestContext, metrics: {} },
          operationContext,
          current.supergraphSchema,
          current.apiSchema,
        )) as ExecutionResult,
      logger,
    });
  }

  const endAll = (result?: ExecutionResult) => {
    for (const subscriber of [...subscribers]) subscriber.end(result);
  };

  return {
    /** Plans against a newly loaded supergraph; open subscriptions end so clients resubscribe. */
    load(sdl: string) {
      const reloaded = supergraphSdl !== undefined;
      supergraphSdl = sdl;
      planning = undefined;
      // New subscriptions must not join a feed planned against the old supergraph.
      topics.clear();
      if (reloaded && subscribers.size > 0) {
        logger.info(
          { subscriptions: subscribers.size },
          'supergraph changed: ending subscriptions',
        );
        endAll({
          errors: [
            codedError(
              'SUPERGRAPH_RELOADED',
              'The router loaded a new supergraph; this subscription ended. Subscribe again.',
            ),
          ],
        });
      }
    },
    subscribe,
    get stats(): SubscriptionStats {
      return { ...upstream.stats, subscribers: subscribers.size, topicFeeds: topics.size };
    },
    async close() {
      endAll();
      await upstream.close();
      coalescer.clear();
    },
  };
}

export type SubscriptionGateway = ReturnType<typeof createSubscriptionGateway>;

/** Serves subscription operations (graphql-ws and SSE alike) through the subscription gateway. */
export function useGatewaySubscriptions(subscriptions: SubscriptionGateway): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn((args) => subscriptions.subscribe(args));
    },
  };
}
