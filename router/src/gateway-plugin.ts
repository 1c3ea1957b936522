// Runs yoga's queries and mutations through the router's plan executor: the gateway loads the
// supergraph and owns the data sources, planning.ts plans each document once, and
// plan-executor.ts runs the plan against the subgraphs' breaker data sources.
import {
  GraphQLError,
  OperationTypeNode,
  getVariableValues,
  print,
  type DocumentNode,
  type ExecutionResult,
} from 'graphql';
import type { ApolloGateway } from '@apollo/gateway';
import type { Plugin } from 'graphql-yoga';
import { codedError, type BaseContext, type Logger } from '@supergraph/kit';
import type { BreakerDataSource } from './data-source.js';
import { executePlan, type Fetcher } from './plan-executor.js';
import { PlanningError, type Planning } from './planning.js';

/** The printed source of a parsed document, printed once per document. */
export function createSourceCache() {
  const sources = new WeakMap<DocumentNode, string>();
  return (document: DocumentNode) => {
    let source = sources.get(document);
    if (source === undefined) {
      source = print(document);
      sources.set(document, source);
    }
    return source;
  };
}

export interface PlanExecutorOptions {
  /** Yoga serves the API schema of the supergraph the gateway has loaded. */
  gateway: ApolloGateway;
  /** The planning of the loaded supergraph (undefined before the first load). */
  planning: () => Planning | undefined;
  dataSources: ReadonlyMap<string, BreakerDataSource>;
  logger: Logger;
}

/** The fetcher of one request: each fetch goes to its subgraph's data source. Entity fetches
 * of a mutation are not shared with other requests nor tried again: they read what the
 * mutation has just written. */
export function fetcherFor(
  dataSources: ReadonlyMap<string, BreakerDataSource>,
  context: BaseContext,
  operation: OperationTypeNode,
): Fetcher {
  return (serviceName, request, fetch) => {
    const source = dataSources.get(serviceName);
    if (!source) {
      return Promise.resolve({
        errors: [
          codedError('SUBGRAPH_UNAVAILABLE', `The ${serviceName} subgraph is unknown.`, {
            extensions: { serviceName },
          }).toJSON(),
        ],
      });
    }
    const kind =
      operation === OperationTypeNode.QUERY && fetch.operationKind === OperationTypeNode.QUERY
        ? 'query'
        : operation === OperationTypeNode.SUBSCRIPTION
          ? 'subscription'
          : 'mutation';
    return source.call(request, { operation: kind, context });
  };
}

export function usePlanExecutor({
  gateway,
  planning,
  dataSources,
  logger,
}: PlanExecutorOptions): Plugin {
  return {
    onPluginInit({ setSchema }) {
      if (gateway.schema) setSchema(gateway.schema);
      gateway.onSchemaLoadOrUpdate(({ apiSchema }) => setSchema(apiSchema));
    },
    onExecute({ setExecuteFn }) {
      // From the arguments it is called with, which the plugins after this one may change (a
      // shared execution runs with a context of its own: inbound-dedup.ts).
      setExecuteFn(async (args): Promise<ExecutionResult> => {
        const current = planning();
        if (!current) {
          return {
            errors: [codedError('SUBGRAPH_UNAVAILABLE', 'The supergraph is not loaded yet.')],
          };
        }
        const operationName = args.operationName ?? undefined;
        let prepared;
        try {
          prepared = current.prepare(args.document, operationName);
        } catch (error) {
          if (error instanceof GraphQLError) return { errors: [error] };
          logger.error({ err: error }, 'operation could not be planned');
          return {
            errors: [
              codedError(
                'INTERNAL_SERVER_ERROR',
                error instanceof PlanningError
                  ? error.message
                  : 'The router could not plan this operation.',
              ),
            ],
          };
        }
        const coerced = getVariableValues(
          current.schemas.api,
          prepared.operation.variableDefinitions ?? [],
          (args.variableValues ?? {}) as Record<string, unknown>,
          { maxErrors: 20 },
        );
        if (coerced.errors) return { errors: coerced.errors };
        const context = args.contextValue as unknown as BaseContext;
        return executePlan(current.schemas, {
          prepared,
          variables: coerced.coerced,
          document: args.document,
          fetcher: fetcherFor(dataSources, context, prepared.kind),
        });
      });
    },
  };
}
