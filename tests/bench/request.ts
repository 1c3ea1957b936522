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

/** Router settings of a benchmark whose load comes from one user or address: the rate limits
 * per identity are not what it measures. */
export const UNTHROTTLED = {
  RATE_LIMIT_POINTS: '1000000000',
  RATE_LIMIT_LOGIN_IP_POINTS: '1000000000',
};
