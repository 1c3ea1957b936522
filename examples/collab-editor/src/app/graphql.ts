// GraphQL over HTTP from the page to the router. A JSON POST from another origin (this page on
// :5173, the router on :4000) passes the router's CORS rules for pages on localhost outside
// production; x-graphql-csrf marks it as sent by a GraphQL client on purpose.

/** An error the router answered with, keeping its extensions.code (UNAUTHENTICATED, ...). */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function graphqlRequest<TData>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<TData> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-graphql-csrf': '1',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResponse<TData>;
  const [error] = body.errors ?? [];
  if (error) throw new GraphQLRequestError(error.message, error.extensions?.code);
  if (!body.data) throw new GraphQLRequestError(`The router answered ${response.status}`);
  return body.data;
}

/** The router serves graphql-ws on the same path: http(s) becomes ws(s). */
export const websocketUrl = (url: string) => url.replace(/^http/, 'ws');
