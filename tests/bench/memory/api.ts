// The GraphQL calls of the benchmark, over HTTP.
import { graphqlPost, type GraphqlCall } from '../request.js';
import { REQUEST_TIMEOUT_MS } from './settings.js';

export const CREATE_MANY =
  'mutation($inputs: [CreateMemoryInput!]!) { createMemories(inputs: $inputs) { id } }';
export const CREATE_ONE =
  'mutation($input: CreateMemoryInput!) { createMemory(input: $input) { id } }';
export const READ = '{ memory(id: "ID") { id content metadata fold { id } createdAt } }';
export const SEARCH =
  'query($input: SearchMemoriesInput!) { searchMemories(input: $input) { score distance memory { id content } } }';

export async function post<T>(url: string, token: string, call: GraphqlCall): Promise<T> {
  const response = await fetch(url, {
    ...graphqlPost(token, call),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors || !body.data) {
    throw new Error(`${url}: ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
  }
  return body.data;
}
