// Real subscription clients for the cross-service tests and benchmarks: graphql-ws over
// WebSocket and graphql-sse over HTTP, each collecting what it receives.
import type { ExecutionResult } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { waitFor } from '@supergraph/kit/testing';

export interface Operation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface Received<TData = Record<string, any>> {
  /** Every `next` payload, in order of arrival. */
  results: ExecutionResult<TData>[];
  /** Resolves when the server completes the subscription; rejects on a transport error. */
  done: Promise<void>;
  /** Completes it from the client side. */
  unsubscribe(): void;
  /** Waits (bounded) until n results have arrived. */
  received(n: number, timeoutMs?: number): Promise<ExecutionResult<TData>[]>;
}

function collector<TData>(
  start: (sink: {
    next(value: ExecutionResult<TData>): void;
    error(error: unknown): void;
    complete(): void;
  }) => () => void,
): Received<TData> {
  const results: ExecutionResult<TData>[] = [];
  let unsubscribe = () => {};
  const done = new Promise<void>((resolve, reject) => {
    unsubscribe = start({
      next: (value) => results.push(value),
      error: reject,
      complete: resolve,
    });
  });
  done.catch(() => {}); // observed by the tests that care
  return {
    results,
    done,
    unsubscribe: () => unsubscribe(),
    async received(n, timeoutMs = 10_000) {
      await waitFor(() => results.length >= n, `${n} results (have ${results.length})`, timeoutMs);
      return results;
    },
  };
}

/** The WebSocket URL of a GraphQL HTTP URL. */
export const websocketUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/** A bare WebSocket speaking graphql-ws's subprotocol, for tests of the protocol itself. */
export const rawSocket = (httpUrl: string) =>
  new WebSocket(websocketUrl(httpUrl), 'graphql-transport-ws');

/** A graphql-ws client of the router (`http://.../graphql` is turned into `ws://`). */
export function wsClient(
  httpUrl: string,
  token?: string,
  options: { onClosed?: (event: { code: number; reason: string }) => void } = {},
): Client {
  return createWsClient({
    url: websocketUrl(httpUrl),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: true,
    retryAttempts: 0,
    on: options.onClosed
      ? { closed: (event) => options.onClosed!(event as { code: number; reason: string }) }
      : {},
  });
}

export function subscribeWs<TData = Record<string, any>>(
  client: Client,
  operation: Operation,
): Received<TData> {
  return collector<TData>((sink) =>
    client.subscribe<TData>(operation, {
      next: (value) => sink.next(value as ExecutionResult<TData>),
      error: sink.error,
      complete: sink.complete,
    }),
  );
}

/** A subscription over SSE (graphql-sse; by default one HTTP request per subscription, with
 * `singleConnection` its reservation mode, which the router serves on `/graphql/stream`). */
export function subscribeSse<TData = Record<string, any>>(
  httpUrl: string,
  token: string | undefined,
  operation: Operation,
  { singleConnection = false } = {},
): Received<TData> & { dispose(): void } {
  const client = createSseClient({
    url: httpUrl,
    singleConnection,
    headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
    retryAttempts: 0,
  });
  const received = collector<TData>((sink) =>
    client.subscribe<TData>(operation, {
      next: (value) => sink.next(value as ExecutionResult<TData>),
      error: sink.error,
      complete: sink.complete,
    }),
  );
  return { ...received, dispose: () => client.dispose() };
}

/** Subscriptions a service holds open now (its graphql_subscriptions_active gauge). */
export async function openSubscriptions(service: {
  metrics: { subscriptions: { get(): Promise<{ values: { value: number }[] }> } };
}): Promise<number> {
  const { values } = await service.metrics.subscriptions.get();
  return values[0]?.value ?? 0;
}

/** Waits (bounded) until a service holds exactly n open subscriptions. */
export function untilOpenSubscriptions(
  service: Parameters<typeof openSubscriptions>[0],
  n: number,
  timeoutMs?: number,
): Promise<void> {
  return waitFor(
    async () => (await openSubscriptions(service)) === n,
    `${n} open subscriptions`,
    timeoutMs,
  );
}
