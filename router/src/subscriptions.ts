// Federated subscriptions. @apollo/gateway plans subscriptions but refuses to run them, so the
// router runs the plan itself: the plan's primary fetch is a subscription sent over graphql-ws
// to the owning subgraph, and for each of its events the plan executor runs [primary, rest]
// with the primary fetch answered from the event. Entity fetches of other subgraphs, error
// wrapping and result shaping are then the same as for a query.
import type { FetchNode } from '@apollo/query-planner';
import {
  OperationTypeNode,
  getVariableValues,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codedError, type BaseContext, type Logger } from '@supergraph/kit';
import type { BreakerDataSource, SubgraphResponse } from './data-source.js';
import { FetchCoalescer } from './fetch-coalescer.js';
import { createSourceCache, fetcherFor } from './gateway-plugin.js';
import { executePlan, type Fetcher } from './plan-executor.js';
import type { Planning, PreparedSubscription } from './planning.js';
import { Feed, listen, type Listener } from './subscription-feed.js';
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
  let planning: Planning | undefined;

  /** The fetcher of one event: the primary fetch is answered from the event, and identical
   * entity fetches of one identity's events are coalesced. */
  function eventFetcher(
    primary: FetchNode,
    event: ExecutionResult,
    context: BaseContext,
    authorization: string,
  ): Fetcher {
    const send = fetcherFor(dataSources, context, OperationTypeNode.SUBSCRIPTION);
    return (name, request, fetch) => {
      if (fetch === primary) return Promise.resolve(event as SubgraphResponse);
      // The planner names each fetch after the client's operation; the name changes
      // nothing in the answer, so fetches of differently named operations coalesce too.
      const query = request.query.replace(FETCH_NAME, '$1');
      const key = `${authorization}\n${name}\n${query}\n${JSON.stringify(request.variables)}`;
      return coalescer.run(key, () => send(name, request, fetch));
    };
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

  function subscribe(args: ExecutionArgs): ExecutionResult | AsyncIterable<ExecutionResult> {
    const current = planning;
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
      prepared = current.prepareSubscription(args.document, request.operationName);
    } catch (error) {
      logger.error({ err: error }, 'subscription could not be planned');
      return {
        errors: [codedError('INTERNAL_SERVER_ERROR', 'The subscription could not be planned.')],
      };
    }
    const coerced = getVariableValues(
      current.schemas.api,
      prepared.event.operation.variableDefinitions ?? [],
      request.variables,
      { maxErrors: 20 },
    );
    if (coerced.errors) return { errors: coerced.errors };
    request.variables = coerced.coerced;
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
    { context, variables, authorization, args }: Request,
    { primary, event: prepared }: PreparedSubscription,
    current: Planning,
    upstreamUrl: string,
    onClosed: () => void,
  ): Feed {
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
      runEvent: (event) =>
        executePlan(current.schemas, {
          prepared,
          variables,
          document: args.document,
          fetcher: eventFetcher(primary, event, context, authorization),
        }),
      logger,
    });
  }

  const endAll = (result?: ExecutionResult) => {
    for (const subscriber of [...subscribers]) subscriber.end(result);
  };

  return {
    /** Plans against a newly loaded supergraph; open subscriptions end so clients resubscribe. */
    load(next: Planning) {
      const reloaded = planning !== undefined;
      planning = next;
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
