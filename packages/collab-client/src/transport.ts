// GraphQL over the caller's graphql-ws client: one-shot requests as cancellable promises and
// subscriptions as callbacks, with every failure turned into a CollabError that says whether
// it came from the server (a code) or from the connection.
import type { Client, FormattedExecutionResult, SubscribePayload } from 'graphql-ws';

/** Server error codes that retrying cannot fix (see the contract's error registry). */
const FATAL_CODES = new Set(['FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'UNAUTHENTICATED']);

/** A failed request or subscription of the provider, as its 'error' event reports it. */
export class CollabError extends Error {
  override readonly name = 'CollabError';
  constructor(
    message: string,
    /** extensions.code of the server's error; undefined for a connection failure. */
    readonly code: string | undefined,
    /** What the provider was doing: 'sync', 'update', 'updates', 'presence'. */
    readonly operation: string,
    /** The connection failed (closed, refused): the provider reconnects. */
    readonly transport: boolean,
  ) {
    super(message);
  }

  /** Retrying the same request would fail the same way (a refusal, a missing document). */
  get fatal(): boolean {
    return this.code !== undefined && FATAL_CODES.has(this.code);
  }
}

interface ErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

function fromGraphQLErrors(errors: readonly ErrorLike[], operation: string): CollabError {
  const first = errors[0];
  const code = first?.extensions?.code;
  return new CollabError(
    first?.message ?? 'GraphQL error',
    typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
    operation,
    false,
  );
}

/** graphql-ws reports a refused operation as GraphQL errors, a lost socket as a CloseEvent
 * (or the Error of the socket's 'error' event). */
export function toCollabError(error: unknown, operation: string): CollabError {
  if (error instanceof CollabError) return error;
  if (Array.isArray(error)) return fromGraphQLErrors(error as ErrorLike[], operation);
  if (error !== null && typeof error === 'object' && 'code' in error && 'reason' in error) {
    const { code, reason } = error as { code: number; reason: string };
    return new CollabError(`connection closed (${code} ${reason})`, undefined, operation, true);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CollabError(message, undefined, operation, true);
}

export interface Cancellable<T> {
  promise: Promise<T>;
  /** Stops the request; its promise then never settles (the caller has moved on). */
  cancel(): void;
}

/** Runs a query or mutation and resolves with its data, or rejects with a CollabError. */
export function request<TData>(
  client: Client,
  payload: SubscribePayload,
  operation: string,
): Cancellable<TData> {
  let cancelled = false;
  let unsubscribe = () => {};
  const promise = new Promise<TData>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled || cancelled) return;
      settled = true;
      outcome();
    };
    unsubscribe = client.subscribe<TData>(payload, {
      next: (result: FormattedExecutionResult<TData>) =>
        settle(() =>
          result.errors?.length || !result.data
            ? reject(fromGraphQLErrors(result.errors ?? [], operation))
            : resolve(result.data),
        ),
      error: (error) => settle(() => reject(toCollabError(error, operation))),
      complete: () =>
        settle(() =>
          reject(new CollabError('completed without a result', undefined, operation, true)),
        ),
    });
  });
  return {
    promise,
    cancel() {
      cancelled = true;
      unsubscribe();
    },
  };
}

export interface StreamSink<TData> {
  next(data: TData): void;
  /** The stream ended: with an error, or (error undefined) completed by the server. */
  end(error: CollabError | undefined): void;
}

/** Subscribes; returns the function that ends the subscription (after which nothing is
 * delivered to the sink). */
export function subscribe<TData>(
  client: Client,
  payload: SubscribePayload,
  operation: string,
  sink: StreamSink<TData>,
): () => void {
  let ended = false;
  const end = (error: CollabError | undefined) => {
    if (ended) return;
    ended = true;
    sink.end(error);
  };
  const unsubscribe: () => void = client.subscribe<TData>(payload, {
    next: (result: FormattedExecutionResult<TData>) => {
      if (ended) return;
      if (result.errors?.length || !result.data) {
        // An errored event ends the stream here (e.g. FORBIDDEN once access is revoked).
        end(fromGraphQLErrors(result.errors ?? [], operation));
        unsubscribe();
        return;
      }
      sink.next(result.data);
    },
    error: (error) => end(toCollabError(error, operation)),
    complete: () => end(undefined),
  });
  return () => {
    ended = true;
    unsubscribe();
  };
}
