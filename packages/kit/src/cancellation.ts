// Work stops when its caller stops. The signal of the request being served travels in
// AsyncLocalStorage from the start of its execution down to the database layer
// (database-cancellation.ts), which starts no statement for a caller that is gone and cancels
// the one running, without any resolver passing it along; resolvers waiting for a turn of the
// event loop are dropped (event-loop-turns.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codedError } from './errors.js';

const scope = new AsyncLocalStorage<AbortSignal>();

/** The signal of the work being done now (a request, a subgraph fetch), if any. */
export function currentSignal(): AbortSignal | undefined {
  return scope.getStore();
}

/** Runs `work` with `signal` as the current signal of everything it starts. */
export function withSignal<T>(signal: AbortSignal | undefined, work: () => T): T {
  return signal ? scope.run(signal, work) : work();
}

export type CancelReason = 'caller-gone' | 'statement-timeout';

const MESSAGES: Record<CancelReason, string> = {
  'caller-gone': 'The caller went away or gave up, so the work was stopped.',
  'statement-timeout': 'A database statement ran past its timeout and was cancelled.',
};

export function cancelledError(
  reason: CancelReason,
  { cause, timeoutMs }: { cause?: unknown; timeoutMs?: number } = {},
): GraphQLError {
  return codedError('CANCELLED', MESSAGES[reason], {
    extensions: timeoutMs === undefined ? { reason } : { reason, timeoutMs },
    cause,
  });
}

// One error per aborted request: the thousands of resolvers waiting when the caller goes away
// all fail with it, without each capturing and formatting a stack of its own.
const callerGoneErrors = new WeakMap<AbortSignal, GraphQLError>();

/** Throws CANCELLED when the current (or given) signal has aborted. */
export function throwIfCallerGone(signal: AbortSignal | undefined = currentSignal()): void {
  if (!signal?.aborted) return;
  let error = callerGoneErrors.get(signal);
  if (!error) {
    error = cancelledError('caller-gone', { cause: signal.reason });
    void error.stack; // formatted once here, then copied cheaply by each error located from it
    callerGoneErrors.set(signal, error);
  }
  throw error;
}

/**
 * Makes the request's signal the current signal while its operation executes, and settles the
 * execution with CANCELLED as soon as it aborts. Rather than yoga's useExecutionCancellation:
 * with a signal, @graphql-tools/executor races every object it completes against it, so a
 * huge execution holds a reaction per object until it ends and, on abort, locates an error
 * for each (measured on the nested `similar` query: seconds of CPU and hundreds of MB after
 * the caller had gone). Here one race per request settles the result; the resolvers still
 * waiting are dropped and the database refuses new statements.
 */
export function useRequestSignal(): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const signal = (args.contextValue as { request?: Request } | undefined)?.request?.signal;
      if (!signal) return;
      setExecuteFn((execution) =>
        scope.run(signal, () => settledOnAbort(executeFn(execution), signal)),
      );
    },
  };
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/** The execution's result, or CANCELLED as soon as the signal aborts. */
function settledOnAbort<T>(result: T | Promise<T>, signal: AbortSignal): T | Promise<T> {
  if (!isThenable(result)) return result;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      try {
        throwIfCallerGone(signal);
      } catch (error) {
        resolve({ errors: [error] } as T);
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    result.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
