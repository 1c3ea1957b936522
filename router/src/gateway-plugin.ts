// Runs yoga's operations through the Apollo gateway's executor. Written here rather than
// using @envelop/apollo-federation, whose one shared `metrics` object grows on every subgraph
// error: each request gets its own state.
import type { ApolloGateway } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { getOperationAST, parse, print, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codedError, type Logger } from '@supergraph/kit';
import type { Operation } from '@apollo/federation-internals';
import type { QueryPlan } from '@apollo/query-planner';
import {
  correctionContext,
  correctQueryPlan,
  prepareOperation,
  type CorrectionContext,
} from './plan-corrections.js';
import { unplannedRootFields } from './plan-coverage.js';
import { completeResult } from './result-completion.js';

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

/** The gateway's private members that the plan corrections hook into. */
interface GatewayInternals {
  queryPlanner?: { buildQueryPlan(operation: Operation, options?: unknown): QueryPlan };
  supergraphSdl?: string;
  supergraphSchema?: GraphQLSchema;
}

/** Thrown from planning when the plan cannot fetch a root field; answered as `data: null`. */
class UnplannableOperation extends Error {
  constructor(readonly fields: string[]) {
    super(`no subgraph can resolve ${fields.join(', ')}`);
  }
}

/**
 * Until the router runs plans with its own executor (plan-executor*.ts), the corrections of
 * plan-corrections.ts go into the gateway by wrapping its private planner, which the gateway
 * builds anew with every supergraph: the plan it caches is the corrected one.
 */
function correctGatewayPlans(gateway: ApolloGateway): () => CorrectionContext | undefined {
  const internals = gateway as unknown as GatewayInternals;
  let ctx: CorrectionContext | undefined;
  const wrap = () => {
    const planner = internals.queryPlanner;
    if (!planner || !internals.supergraphSdl || !internals.supergraphSchema) return;
    const context = correctionContext(internals.supergraphSdl, internals.supergraphSchema);
    const build = planner.buildQueryPlan.bind(planner);
    planner.buildQueryPlan = (operation, options) => {
      const plan = correctQueryPlan(build(operation, options), context);
      const missing = unplannedRootFields(plan, parse(operation.toString()));
      if (missing.length) throw new UnplannableOperation(missing);
      return plan;
    };
    ctx = context;
  };
  wrap();
  gateway.onSchemaLoadOrUpdate(wrap);
  return () => ctx;
}

export function useGatewayExecutor(gateway: ApolloGateway, logger: Logger): Plugin {
  const sourceOf = createSourceCache();
  const corrections = correctGatewayPlans(gateway);
  // Per parsed document (yoga caches them), so that its printed source, the gateway's plan
  // cache key, is printed once too.
  let prepared = new WeakMap<DocumentNode, DocumentNode>();
  let preparedFor: CorrectionContext | undefined;
  const preparedOf = (document: DocumentNode, schema: GraphQLSchema) => {
    const ctx = corrections();
    if (!ctx) return document;
    if (ctx !== preparedFor) {
      prepared = new WeakMap();
      preparedFor = ctx;
    }
    let result = prepared.get(document);
    if (!result) {
      result = prepareOperation(document, schema, ctx);
      prepared.set(document, result);
    }
    return result;
  };
  return {
    onPluginInit({ setSchema }) {
      if (gateway.schema) setSchema(gateway.schema);
      gateway.onSchemaLoadOrUpdate(({ apiSchema }) => setSchema(apiSchema));
    },
    onExecute({ args, setExecuteFn }) {
      // Client fields that collide with fields @requires asks for with arguments are aliased
      // for planning; completeResult names them back.
      const document = preparedOf(args.document, args.schema);
      const requestContext = gatewayRequestContext({
        document,
        source: sourceOf(document),
        operationName: args.operationName ?? undefined,
        variables: (args.variableValues ?? undefined) as Record<string, unknown> | undefined,
        schema: args.schema,
        context: args.contextValue,
        logger,
      });
      setExecuteFn(async () => {
        try {
          return completeResult(await gateway.executor(requestContext), {
            aliased: document !== args.document,
          });
        } catch (error) {
          if (!(error instanceof UnplannableOperation)) throw error;
          // The operation cannot be answered at all: a request error, so no partial data.
          return {
            data: null,
            errors: [
              codedError('QUERY_PLANNING_FAILED', `Cannot plan the operation: ${error.message}.`, {
                extensions: { fields: error.fields },
              }),
            ],
          };
        }
      });
    },
  };
}
