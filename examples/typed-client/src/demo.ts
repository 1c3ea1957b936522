// What `npm start` in this folder does against a running router: sign up (unless given a
// token), write a memory, read it back across three subgraphs, and stream a completion.
import { createApolloClient } from './apollo.js';
import type { Endpoint } from './endpoint.js';
import { CreateMemory, MemoriesWithAuthors, SignUp } from './operations.js';
import { streamCompletion } from './stream-completion.js';
import { createUrqlClient } from './urql.js';

/** Signs up a fresh user and returns its token (README "A query across three subgraphs"). */
export async function signUpToken(endpoint: Endpoint, email: string, password: string) {
  const anonymous = createApolloClient({ ...endpoint, token: undefined });
  try {
    const { data } = await anonymous.client.mutate({
      mutation: SignUp,
      variables: { input: { email, password } },
    });
    return data!.signUp.token;
  } finally {
    await anonymous.close();
  }
}

export async function demo(endpoint: Endpoint, print: (line: string) => void = console.log) {
  const apollo = createApolloClient(endpoint);
  const urql = createUrqlClient(endpoint, 'sse');
  try {
    await apollo.client.mutate({
      mutation: CreateMemory,
      variables: { input: { content: 'Typed from the first line' } },
    });
    const { data } = await apollo.client.query({
      query: MemoriesWithAuthors,
      variables: { first: 5 },
    });
    for (const { content, createdBy } of data!.memories.nodes) {
      const documents = createdBy?.documents?.map((document) => document.title) ?? [];
      print(`memory "${content}" by ${createdBy?.email} (documents: ${documents.length})`);
    }

    const chunks = await streamCompletion(urql.client, {
      messages: [{ role: 'USER', content: 'hello from urql over SSE' }],
    });
    const text = chunks.map((chunk) => chunk.delta).join('');
    print(`completion: ${text}`);
  } finally {
    await Promise.all([apollo.close(), urql.close()]);
  }
}
