// Apollo Client against the router: queries and mutations over HTTP, subscriptions over
// graphql-ws on the same /graphql path, chosen per operation by a split link.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { authorizationHeaders, connectionParams, websocketUrl, type Endpoint } from './endpoint.js';

export interface ApolloConnection {
  client: ApolloClient;
  /** Stops the client and closes its WebSocket. */
  close(): Promise<void>;
}

export function createApolloClient({ url, token, webSocketImpl }: Endpoint): ApolloConnection {
  // A JSON POST needs no CSRF header (only "simple" requests do); the token does.
  const http = new HttpLink({ uri: url, headers: authorizationHeaders(token) });
  const socket = createClient({
    url: websocketUrl(url),
    connectionParams: connectionParams(token),
    webSocketImpl,
    // Opens on the first subscription, closes after the last.
    lazy: true,
  });
  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(socket),
    http,
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  return {
    client,
    async close() {
      client.stop();
      await socket.dispose();
    },
  };
}
