// The signal that says an operation's callers have gone away, which ends its wait for
// admission and aborts its subgraph fetches. Usually the signal of the client's request; an
// execution shared by several callers (inbound-dedup.ts) carries its own, which aborts only
// once every one of them has gone.
const SHARED_SIGNAL = Symbol('sharedCallerSignal');

interface SignalledContext {
  request?: Request;
  [SHARED_SIGNAL]?: AbortSignal;
}

export function callerSignalOf(context: unknown): AbortSignal | undefined {
  const signalled = context as SignalledContext | undefined;
  return signalled?.[SHARED_SIGNAL] ?? signalled?.request?.signal;
}

/** A copy of `context` whose callers' signal is `signal` instead of its request's. */
export function withCallerSignal<T>(context: T, signal: AbortSignal): T {
  return { ...context, [SHARED_SIGNAL]: signal };
}
