// Runs yoga's operations through the Apollo gateway's executor. Written here rather than
// using @envelop/apollo-federation, whose one shared `metrics` object grows on every subgraph
// error: each request gets its own state.
import type { ApolloGateway } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { getOperationAST, print, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '@supergraph/kit';

/** A cache policy that ignores hints: the router does not cache whole responses. */
const noCachePolicy = () => ({
  maxAge: undefined,
  scope: undefined,
  restrict() {},
  replace() {},
  policyIfCacheable: () => null,
});

const noCache = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
};

export interface GatewayRequest {
  document: DocumentNode;
  /** The printed document. */
  source: string;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  schema: GraphQLSchema;
  context: unknown;
  logger: Logger;
}

/** The request context the gateway's executor and `executeQueryPlan` read. */
export function gatewayRequestContext(request: GatewayRequest): GatewayGraphQLRequestContext {
  const { document, source, operationName, variables } = request;
  return {
    document,
    request: { query: source, operationName, variables },
    operationName: operationName ?? null,
    operation: getOperationAST(document, operationName)!,
    source,
    queryHash: source,
    schema: request.schema,
    context: request.context,
    cache: noCache,
    logger: request.logger,
    metrics: {},
    overallCachePolicy: noCachePolicy(),
  } as unknown as GatewayGraphQLRequestContext;
}

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

export function useGatewayExecutor(gateway: ApolloGateway, logger: Logger): Plugin {
  const sourceOf = createSourceCache();
  return {
    onPluginInit({ setSchema }) {
      if (gateway.schema) setSchema(gateway.schema);
      gateway.onSchemaLoadOrUpdate(({ apiSchema }) => setSchema(apiSchema));
    },
    onExecute({ setExecuteFn }) {
      // From the arguments it is called with, which the plugins after this one may change (a
      // shared execution runs with a context of its own: inbound-dedup.ts).
      setExecuteFn((args) =>
        gateway.executor(
          gatewayRequestContext({
            document: args.document,
            source: sourceOf(args.document),
            operationName: args.operationName ?? undefined,
            variables: (args.variableValues ?? undefined) as Record<string, unknown> | undefined,
            schema: args.schema,
            context: args.contextValue,
            logger,
          }),
        ),
      );
    },
  };
}
