// Inbound deduplication (ROUTER_DEDUPLICATE_INBOUND): identical queries of one identity that
// are in flight at the same time share one execution; nothing is kept once it has answered.
import { getOperationAST, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { Counter } from 'prom-client';
import { stringify } from 'safe-stable-stringify';
import type { BaseContext, ServiceMetrics } from '@supergraph/kit';
import { callerSignalOf, withCallerSignal } from './caller-signal.js';
import { createSourceCache } from './gateway-plugin.js';
import { InFlight } from './in-flight.js';

type Execute = (args: ExecutionArgs) => unknown;

/**
 * Who the answer is for. The identity is all that the subgraphs learn from the forwarded
 * token (identity.ts); the other forwarded headers (request id, traceparent) trace a request
 * and do not change its answer, so a follower's subgraph calls carry its leader's.
 */
function identityKey(context: Partial<BaseContext>): string {
  const identity = context.identity;
  if (!identity) return 'anonymous';
  return stringify([identity.userId, identity.email ?? null, [...identity.scopes].sort()]);
}

/** Each caller owns the top of its result: yoga's later steps (error masking, the result
 * processor) replace errors and extensions on a copy and never write into the data, so a
 * shallow copy is all that sharing needs. */
const own = (result: unknown) =>
  result !== null && typeof result === 'object' ? { ...result } : result;

export function createInboundDedup(metrics: ServiceMetrics) {
  const deduplicated = new Counter({
    name: 'router_inbound_deduplicated_total',
    help: 'Queries answered by an identical query of the same identity already in flight',
    registers: [metrics.registry],
  });
  const inFlight = new InFlight<unknown>();
  // The schema is part of the key, so that a query that arrives after a supergraph reload
  // never joins one planned on the supergraph before it.
  const schemaIds = new WeakMap<GraphQLSchema, number>();
  let schemas = 0;
  const schemaId = (schema: GraphQLSchema) => {
    let id = schemaIds.get(schema);
    if (id === undefined) schemaIds.set(schema, (id = schemas += 1));
    return id;
  };
  const sourceOf = createSourceCache();

  const keyOf = (args: ExecutionArgs) =>
    stringify([
      schemaId(args.schema),
      identityKey(args.contextValue as Partial<BaseContext>),
      args.operationName ?? null,
      args.variableValues ?? {},
      sourceOf(args.document),
    ]);

  function run(args: ExecutionArgs, execute: Execute): Promise<unknown> {
    let joined = false;
    // The leader's client is one caller among the others: the execution runs with a signal
    // of its own, so that its going away does not fail them.
    const result = inFlight.run(
      keyOf(args),
      callerSignalOf(args.contextValue),
      (signal) =>
        Promise.resolve(
          execute({ ...args, contextValue: withCallerSignal(args.contextValue, signal) }),
        ),
      () => {
        joined = true;
        deduplicated.inc();
      },
    );
    // A streamed result (@defer) cannot be shared: a caller that joined one runs its own.
    return result.then((answer) =>
      isAsyncIterable(answer) ? (joined ? execute(args) : answer) : own(answer),
    );
  }

  /** Must come after the admission queue (backpressure.ts) so that it wraps it: a follower
   * takes no admission slot. */
  const plugin: Plugin = {
    onExecute({ args, executeFn, setExecuteFn }) {
      // Mutations do work each time they run; subscriptions do not come through execute.
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      setExecuteFn((executeArgs) => run(executeArgs, executeFn) as never);
    },
  };

  /** Executions in flight and the callers still waiting for them. */
  const stats = () => inFlight.stats();

  return { plugin, stats };
}
