// Where the clients connect and as whom: one shape for Apollo Client and urql alike.

export interface Endpoint {
  /** The router's GraphQL URL, e.g. http://localhost:4000/graphql (`npm start`). */
  url: string;
  /** A token from `signUp` or `login`; anonymous without it. */
  token?: string;
  /** A WebSocket class where the platform has none (Node 20: the `ws` package). */
  webSocketImpl?: unknown;
}

/** The same endpoint over WebSocket: the router serves graphql-ws on its /graphql path. */
export const websocketUrl = (url: string) => url.replace(/^http/, 'ws');

/** Headers of HTTP requests (queries, mutations and SSE subscriptions). */
export const authorizationHeaders = (token?: string): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

/** graphql-ws sends the token once, in `connection_init`'s payload. */
export const connectionParams = (token?: string) => authorizationHeaders(token);
