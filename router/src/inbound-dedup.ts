// Inbound deduplication (ROUTER_DEDUPLICATE_INBOUND): identical queries of one identity that
// are in flight at the same time share one execution; nothing is kept once it has answered.
import { getOperationAST, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { Counter } from 'prom-client';
import { stringify } from 'safe-stable-stringify';
import type { BaseContext, ServiceMetrics } from '@supergraph/kit';
import { callerSignalOf, withCallerSignal } from './caller-signal.js';
import { createSourceCache } from './gateway-plugin.js';

type Execute = (args: ExecutionArgs) => unknown;

interface SharedExecution {
  result: Promise<unknown>;
  /** Callers that still wait for it, the first one included. */
  waiting: number;
  /** Aborts when every caller has gone: only then is the work stopped. */
  controller: AbortController;
  /** Takes it out of the in-flight map, so that no later query joins it. */
  forget: () => void;
}

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
  // Per schema, so that a query that arrives after a supergraph reload never joins one
  // planned on the supergraph before it.
  const inFlight = new WeakMap<GraphQLSchema, Map<string, SharedExecution>>();
  const sourceOf = createSourceCache();
  const live = new Set<SharedExecution>();

  const keyOf = (args: ExecutionArgs) =>
    stringify([
      identityKey(args.contextValue as Partial<BaseContext>),
      args.operationName ?? null,
      args.variableValues ?? {},
      sourceOf(args.document),
    ]);

  /** Counts a caller in until it goes away; the last one to go stops the work. */
  function join(shared: SharedExecution, signal: AbortSignal | undefined) {
    shared.waiting += 1;
    if (!signal) return;
    const leave = () => {
      shared.waiting -= 1;
      if (shared.waiting > 0) return;
      shared.forget(); // nobody joins an execution that is being stopped
      shared.controller.abort(signal.reason);
    };
    if (signal.aborted) return leave();
    signal.addEventListener('abort', leave, { once: true });
    const stopListening = () => signal.removeEventListener('abort', leave);
    shared.result.then(stopListening, stopListening);
  }

  function run(args: ExecutionArgs, execute: Execute): Promise<unknown> {
    let executions = inFlight.get(args.schema);
    if (!executions) {
      executions = new Map();
      inFlight.set(args.schema, executions);
    }
    const key = keyOf(args);
    const signal = callerSignalOf(args.contextValue);
    const running = executions.get(key);
    if (running) {
      deduplicated.inc();
      join(running, signal);
      // A streamed result (@defer) cannot be shared: such a caller runs its own.
      return running.result.then((result) =>
        isAsyncIterable(result) ? execute(args) : own(result),
      );
    }
    const shared: SharedExecution = {
      result: Promise.resolve(),
      waiting: 0,
      controller: new AbortController(),
      forget: () => {
        if (executions.get(key) === shared) executions.delete(key);
      },
    };
    // The leader's client is one caller among the others: the execution runs with a signal
    // of its own, so that its going away does not fail them.
    const context = withCallerSignal(args.contextValue, shared.controller.signal);
    shared.result = new Promise((resolve) => resolve(execute({ ...args, contextValue: context })));
    executions.set(key, shared);
    live.add(shared);
    const settled = () => {
      shared.forget();
      live.delete(shared);
    };
    shared.result.then(settled, settled);
    join(shared, signal);
    return shared.result.then((result) => (isAsyncIterable(result) ? result : own(result)));
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
  const stats = () => ({
    executions: live.size,
    callers: [...live].reduce((sum, shared) => sum + shared.waiting, 0),
  });

  return { plugin, stats };
}
