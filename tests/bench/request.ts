// The HTTP request of a GraphQL call with a bearer token, as every benchmark sends it (with
// fetch or with autocannon).

export interface GraphqlCall {
  query: string;
  variables?: Record<string, unknown>;
}

/** Method, headers and body of the POST of `call`, authorized by `token`. */
export function graphqlPost(token: string, { query, variables }: GraphqlCall) {
  return {
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  };
}
