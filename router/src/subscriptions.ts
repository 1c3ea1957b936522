// Federated subscriptions. @apollo/gateway plans subscriptions but refuses to run them, so the
// router runs the plan itself: the plan's primary fetch is a subscription sent over graphql-ws
// to the owning subgraph, and for each of its events the gateway's own `executeQueryPlan` runs
// [primary, rest] with the primary fetch answered from the event. Entity fetches of other
// subgraphs, error wrapping and result shaping are then the gateway's, as for a query.
import { Supergraph, operationFromDocument, type Schema } from '@apollo/federation-internals';
import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { QueryPlanner, type FetchNode, type QueryPlan } from '@apollo/query-planner';
import { Repeater } from '@repeaterjs/repeater';
import {
  GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codedError, type BaseContext, type Logger } from '@supergraph/kit';
import type { BreakerDataSource } from './data-source.js';
import { EventFetchMemo } from './event-fetch-memo.js';
import { createSourceCache, gatewayRequestContext } from './gateway-plugin.js';
import { UpstreamPool, type UpstreamStats } from './upstream.js';

/** A subscription operation planned against one supergraph. */
interface PreparedSubscription {
  primary: FetchNode;
  /** Sequence [primary, rest]: run once per event with primary answered from the event. */
  eventPlan: QueryPlan;
}

/** The planner of one supergraph; replaced as a whole when a new supergraph loads. */
class Planning {
  private readonly planner: QueryPlanner;
  readonly apiSchema: Schema;
  readonly supergraphSchema: GraphQLSchema;
  private readonly prepared = new WeakMap<DocumentNode, Map<string, PreparedSubscription>>();

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.planner = new QueryPlanner(supergraph);
    this.apiSchema = supergraph.apiSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
  }

  prepare(document: DocumentNode, operationName: string | undefined): PreparedSubscription {
    let byName = this.prepared.get(document);
    const cached = byName?.get(operationName ?? '');
    if (cached) return cached;
    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    const { node } = this.planner.buildQueryPlan(operation);
    if (node?.kind !== 'Subscription') {
      throw new Error(`expected a subscription plan, got ${node?.kind ?? 'an empty plan'}`);
    }
    const prepared: PreparedSubscription = {
      primary: node.primary,
      eventPlan: {
        kind: 'QueryPlan',
        node: node.rest ? { kind: 'Sequence', nodes: [node.primary, node.rest] } : node.primary,
      },
    };
    if (!byName) this.prepared.set(document, (byName = new Map()));
    byName.set(operationName ?? '', prepared);
    return prepared;
  }
}

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
}

/** One open subscription at the router. */
interface Subscriber {
  /** Ends it: the result (if any) is its last event. */
  end(result?: ExecutionResult): void;
}

const pick = (values: Record<string, unknown>, names: readonly string[] = []) =>
  Object.fromEntries(names.filter((name) => name in values).map((name) => [name, values[name]]));

const errorsResult = (errors: readonly GraphQLFormattedError[]): ExecutionResult => ({
  errors: errors.map(
    (error) =>
      new GraphQLError(error.message, {
        ...(error.path ? { path: error.path } : {}),
        extensions: error.extensions ?? {},
      }),
  ),
});

export function createSubscriptionGateway(options: {
  dataSources: ReadonlyMap<string, BreakerDataSource>;
  logger: Logger;
  settings: SubscriptionSettings;
}) {
  const { dataSources, logger, settings } = options;
  const upstream = new UpstreamPool(logger, settings);
  const memo = new EventFetchMemo();
  const subscribers = new Set<Subscriber>();
  const sourceOf = createSourceCache();
  let planning: Planning | undefined;

  /** The services of one event: the primary fetch is answered from the event, and identical
   * entity fetches of the same event (across subscribers of one identity) run once. */
  function eventServices(
    primary: FetchNode,
    event: ExecutionResult,
    authorization: string,
  ): ServiceMap {
    const fetches = memo.fetchesOf(primary.serviceName, authorization, event);
    const services: ServiceMap = {};
    for (const [name, source] of dataSources) {
      services[name] = {
        process: (request) => {
          if (name === primary.serviceName && request.request.query === primary.operation) {
            return Promise.resolve(event as GatewayGraphQLResponse);
          }
          const key = `${name}\n${request.request.query}\n${JSON.stringify(request.request.variables)}`;
          return fetches(key, () =>
            source.process(request as Parameters<typeof source.process>[0]),
          );
        },
      };
    }
    return services;
  }

  function subscribe(args: ExecutionArgs): ExecutionResult | AsyncIterable<ExecutionResult> {
    const context = args.contextValue as BaseContext;
    const operationName = args.operationName ?? undefined;
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const current = planning;
    if (!current) {
      return { errors: [codedError('SUBGRAPH_UNAVAILABLE', 'The supergraph is not loaded yet.')] };
    }
    let prepared: PreparedSubscription;
    try {
      prepared = current.prepare(args.document, operationName);
    } catch (error) {
      logger.error({ err: error }, 'subscription could not be planned');
      return {
        errors: [codedError('INTERNAL_SERVER_ERROR', 'The subscription could not be planned.')],
      };
    }
    const { primary, eventPlan } = prepared;
    const source = dataSources.get(primary.serviceName);
    if (!source) {
      return {
        errors: [
          codedError('SUBGRAPH_UNAVAILABLE', `The ${primary.serviceName} subgraph is unknown.`, {
            extensions: { serviceName: primary.serviceName },
          }),
        ],
      };
    }
    if (source.state === 'open') {
      return {
        errors: [
          codedError(
            'SUBGRAPH_CIRCUIT_OPEN',
            `The ${primary.serviceName} subgraph is failing; its circuit breaker is open, so the subscription was not started.`,
            { extensions: { serviceName: primary.serviceName } },
          ),
        ],
      };
    }
    const authorization = context.forwardHeaders['authorization'] ?? '';
    const requestContext = gatewayRequestContext({
      document: args.document,
      source: sourceOf(args.document),
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
    const runEvent = async (event: ExecutionResult): Promise<ExecutionResult> => {
      const services = eventServices(primary, event, authorization);
      const result = await executeQueryPlan(
        eventPlan,
        services,
        // Each event gets its own metrics: executeQueryPlan appends to them.
        { ...requestContext, metrics: {} },
        operationContext,
        current.supergraphSchema,
        current.apiSchema,
      );
      return result as ExecutionResult;
    };

    return new Repeater<ExecutionResult>(async (push, stop) => {
      let delivery = Promise.resolve();
      let queued = 0;
      let ended = false;
      const subscriber: Subscriber = {
        end(result) {
          if (ended) return;
          ended = true;
          if (result) void push(result).catch(() => {});
          stop();
        },
      };
      subscribers.add(subscriber);
      const unsubscribe = upstream.subscribe(
        primary.serviceName,
        source.url,
        authorization || undefined,
        {
          query: primary.operation,
          variables: pick(variables, primary.variableUsages),
          operationName: primary.operationName,
        },
        {
          next(event) {
            if (ended) return;
            if (++queued > settings.maxQueuedEvents) {
              subscriber.end({
                errors: [
                  codedError(
                    'OVERLOADED',
                    `More than ${settings.maxQueuedEvents} events waited for this subscriber; it ended. Subscribe again and read faster.`,
                  ),
                ],
              });
              return;
            }
            // Events run as they come and are delivered in order.
            const result = runEvent(event);
            delivery = delivery
              .then(() => result)
              .then(async (value) => {
                queued -= 1;
                if (!ended) await push(value);
              })
              .catch((error: unknown) => {
                logger.error({ err: error }, 'subscription event failed');
                subscriber.end({
                  errors: [codedError('INTERNAL_SERVER_ERROR', 'A subscription event failed.')],
                });
              });
          },
          end(errors) {
            delivery = delivery.then(() =>
              subscriber.end(errors?.length ? errorsResult(errors) : undefined),
            );
          },
        },
      );
      await stop;
      ended = true;
      subscribers.delete(subscriber);
      unsubscribe();
    });
  }

  const endAll = (result?: ExecutionResult) => {
    for (const subscriber of [...subscribers]) subscriber.end(result);
  };

  return {
    /** Plans against a newly loaded supergraph; open subscriptions end so clients resubscribe. */
    load(supergraphSdl: string) {
      const next = new Planning(supergraphSdl);
      const reloaded = planning !== undefined;
      planning = next;
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
      return { ...upstream.stats, subscribers: subscribers.size };
    },
    async close() {
      endAll();
      await upstream.close();
      memo.clear();
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
