// graphql-sse's own protocol (https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md)
// on its own path, both modes: distinct connections (one POST or GET per operation) and single
// connection (PUT reserves a stream, GET opens it, POST sends operations into it). The protocol
// is the graphql-sse library's handler; operations run through yoga's envelop like every other
// transport's. Written beside @graphql-yoga/plugin-graphql-sse (same shape) rather than with it
// because that plugin owns the handler's onSubscribe, and the router must first apply what
// its HTTP pipeline does to params (persisted operations, trusted-only mode) to these too.
import { GraphQLError, getOperationAST, type ExecutionArgs } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/fetch';
import type { Plugin, YogaServerInstance } from 'graphql-yoga';
import type { SubscribePayload } from 'graphql-ws';

export interface GraphqlSseOptions {
  /** The path of the protocol, e.g. `/graphql/stream`. */
  path: string;
  /** What yoga's request pipeline does to HTTP params (persisted-operations.ts). */
  resolveParams: (params: SubscribePayload) => Promise<SubscribePayload>;
}

/** A refusal as graphql-sse's handler recognises a result: it needs the `data` key, and
 * would take `{ errors }` alone for execution arguments and answer 400 without the errors. */
const refusal = (errors: readonly GraphQLError[]) => ({ data: null, errors });

export function useGraphqlSse({ path, resolveParams }: GraphqlSseOptions): Plugin {
  /** The server context (the node request and response) of each request, for yoga's context. */
  const serverContexts = new WeakMap<Request, Record<string, unknown>>();
  let handler: ((request: Request) => Promise<Response>) | undefined;

  function createSseHandler(yoga: YogaServerInstance<Record<string, unknown>, object>) {
    return createHandler(
      {
        async onSubscribe(request, params) {
          let resolved: SubscribePayload;
          try {
            resolved = await resolveParams({
              ...params,
              variables: params.variables ?? null,
            } as SubscribePayload);
          } catch (error) {
            if (error instanceof GraphQLError) return refusal([error]);
            throw error;
          }
          const enveloped = yoga.getEnveloped({
            ...serverContexts.get(request.raw),
            request: request.raw,
            params: resolved,
          });
          let document;
          try {
            document = enveloped.parse(resolved.query);
          } catch (error) {
            if (error instanceof GraphQLError) return refusal([error]);
            throw error;
          }
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length > 0) return refusal(errors);
          const args: ExecutionArgs = {
            schema: enveloped.schema,
            document,
            contextValue: await enveloped.contextFactory(),
            variableValues: resolved.variables,
            operationName: resolved.operationName,
          };
          const operation = getOperationAST(document, resolved.operationName);
          return operation?.operation === 'subscription'
            ? enveloped.subscribe(args)
            : enveloped.execute(args);
        },
      },
      yoga.fetchAPI,
    );
  }

  return {
    onYogaInit({ yoga }) {
      handler = createSseHandler(yoga as YogaServerInstance<Record<string, unknown>, object>);
    },
    onRequest({ request, url, serverContext, endResponse }) {
      if (url.pathname !== path || !handler) return undefined;
      serverContexts.set(request, serverContext as Record<string, unknown>);
      return handler(request).then(endResponse);
    },
  };
}
