// Runs yoga's operations through the Apollo gateway's executor. Written here rather than
// using @envelop/apollo-federation, whose one shared `metrics` object grows on every subgraph
// error: each request gets its own state.
import type { ApolloGateway } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { getOperationAST, print, type DocumentNode } from 'graphql';
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

export function useGatewayExecutor(gateway: ApolloGateway, logger: Logger): Plugin {
  const sources = new WeakMap<DocumentNode, string>();
  return {
    onPluginInit({ setSchema }) {
      if (gateway.schema) setSchema(gateway.schema);
      gateway.onSchemaLoadOrUpdate(({ apiSchema }) => setSchema(apiSchema));
    },
    onExecute({ args, setExecuteFn }) {
      let source = sources.get(args.document);
      if (source === undefined) {
        source = print(args.document);
        sources.set(args.document, source);
      }
      const query = source;
      const operationName = args.operationName ?? undefined;
      const operation = getOperationAST(args.document, operationName);
      setExecuteFn(() =>
        gateway.executor({
          document: args.document,
          request: {
            query,
            operationName,
            variables: (args.variableValues ?? undefined) as Record<string, unknown> | undefined,
          },
          operationName: operationName ?? null,
          operation: operation!,
          source: query,
          queryHash: query,
          schema: args.schema,
          context: args.contextValue,
          cache: noCache,
          logger,
          metrics: {},
          overallCachePolicy: noCachePolicy(),
        } as unknown as GatewayGraphQLRequestContext),
      );
    },
  };
}
