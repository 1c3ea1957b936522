// urql against the router: queries and mutations with fetchExchange, subscriptions through
// subscriptionExchange over either graphql-ws (WebSocket) or graphql-sse (a POST answered
// with an event stream, graphql-sse's distinct-connections mode).
import {
  Client,
  cacheExchange,
  fetchExchange,
  subscriptionExchange,
  type SubscriptionForwarder,
} from '@urql/core';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { authorizationHeaders, connectionParams, websocketUrl, type Endpoint } from './endpoint.js';

/** Any of the router's CSRF headers will do (packages/kit/src/cross-origin.ts). */
const CSRF_HEADER = 'x-graphql-csrf';

export type SubscriptionTransport = 'ws' | 'sse';

export interface UrqlConnection {
  client: Client;
  /** Closes the subscription transport. */
  close(): Promise<void>;
}

/** One sink-based `subscribe` for both transports: graphql-ws and graphql-sse share it. */
interface SinkClient {
  subscribe(
    request: { query: string; variables?: Record<string, unknown>; operationName?: string },
    sink: { next(value: any): void; error(error: unknown): void; complete(): void },
  ): () => void;
}

function transportOf(
  { url, token, webSocketImpl }: Endpoint,
  transport: SubscriptionTransport,
): { client: SinkClient; close(): Promise<void> } {
  if (transport === 'sse') {
    const client = createSseClient({ url, headers: authorizationHeaders(token) });
    return { client, close: async () => client.dispose() };
  }
  const client = createWsClient({
    url: websocketUrl(url),
    connectionParams: connectionParams(token),
    webSocketImpl,
    lazy: true,
  });
  return {
    client,
    close: async () => {
      await client.dispose();
    },
  };
}

export function createUrqlClient(
  endpoint: Endpoint,
  transport: SubscriptionTransport = 'ws',
): UrqlConnection {
  const subscriptions = transportOf(endpoint, transport);
  const forwardSubscription: SubscriptionForwarder = (request) => ({
    subscribe(sink) {
      const unsubscribe = subscriptions.client.subscribe(
        { ...request, query: request.query ?? '' },
        sink,
      );
      return { unsubscribe };
    },
  });
  const client = new Client({
    url: endpoint.url,
    // urql sends queries as GETs (cacheable) while they fit in a URL; the router refuses a
    // GET without a CSRF header, as a page on another site could make a browser send one.
    fetchOptions: () => ({
      headers: { ...authorizationHeaders(endpoint.token), [CSRF_HEADER]: '1' },
    }),
    exchanges: [cacheExchange, fetchExchange, subscriptionExchange({ forwardSubscription })],
  });
  return { client, close: subscriptions.close };
}
