// The example's clients against the in-process supergraph, as a frontend would use them: the
// typed operations of src/operations.ts through Apollo Client and urql, over HTTP, graphql-ws
// and SSE, and what each client hands its app when a subgraph is down.
import { CombinedGraphQLErrors } from '@apollo/client';
import { lastValueFrom, toArray } from 'rxjs';
import WebSocket from 'ws';
import { startSupergraph, type Supergraph } from '../../../tests/harness.js';
import { createApolloClient, type ApolloConnection } from '../src/apollo.js';
import type { Endpoint } from '../src/endpoint.js';
import {
  CompletionStream,
  CreateDocument,
  CreateMemory,
  MemoriesWithAuthors,
} from '../src/operations.js';
import { demo, signUpToken } from '../src/demo.js';
import { streamCompletion, type CompletionChunk } from '../src/stream-completion.js';
import { createUrqlClient, type UrqlConnection } from '../src/urql.js';

const PROMPT = 'stream these four words';
const completionInput = { input: { messages: [{ role: 'USER' as const, content: PROMPT }] } };
const SUBGRAPH_DOWN = ['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_CIRCUIT_OPEN'];

/** The chunks of a finished completion stream, in order, ending with the final one. */
function expectWholeCompletion(chunks: CompletionChunk[]) {
  expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, i) => i));
  expect(chunks.map((chunk) => chunk.delta).join('')).toBe(PROMPT);
  expect(chunks.at(-1)).toMatchObject({
    done: true,
    finishReason: 'STOP',
    model: { name: 'echo-1' },
    usage: { completionTokens: expect.any(Number) },
  });
}

describe('typed clients of the supergraph', () => {
  let supergraph: Supergraph;
  let email: string;
  let endpoint: Endpoint;
  let apollo: ApolloConnection;
  let urqlWs: UrqlConnection;
  let urqlSse: UrqlConnection;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    const anonymous = { url: supergraph.url, webSocketImpl: WebSocket };
    email = `frontend-${Date.now()}@example.com`;
    const token = await signUpToken(anonymous, email, 'a long password');
    endpoint = { ...anonymous, token };
    apollo = createApolloClient(endpoint);
    urqlWs = createUrqlClient(endpoint, 'ws');
    urqlSse = createUrqlClient(endpoint, 'sse');
  });
  afterAll(async () => {
    await Promise.all([apollo?.close(), urqlWs?.close(), urqlSse?.close()]);
    await supergraph?.close();
  });

  it('Apollo Client: a mutation, then one query across memory, security and ui', async () => {
    const created = await apollo.client.mutate({
      mutation: CreateMemory,
      variables: { input: { content: 'Ship the foundation' } },
    });
    expect(created.data?.createMemory).toMatchObject({ content: 'Ship the foundation' });
    await apollo.client.mutate({
      mutation: CreateDocument,
      variables: { input: { title: 'Plan', content: '# Plan' } },
    });

    const { data } = await apollo.client.query({
      query: MemoriesWithAuthors,
      variables: { first: 10 },
      fetchPolicy: 'network-only',
    });
    const memory = data!.memories.nodes.find((node) => node.id === created.data!.createMemory.id);
    expect(memory).toMatchObject({
      content: 'Ship the foundation',
      createdBy: { email, documents: [{ title: 'Plan' }] },
    });
  });

  it('urql: a mutation, then the same query across three subgraphs', async () => {
    const created = await urqlWs.client
      .mutation(CreateMemory, { input: { content: 'Write the client guide' } })
      .toPromise();
    expect(created.error).toBeUndefined();
    const id = created.data!.createMemory.id;

    const result = await urqlWs.client
      .query(MemoriesWithAuthors, { first: 10 }, { requestPolicy: 'network-only' })
      .toPromise();
    expect(result.error).toBeUndefined();
    const memory = result.data!.memories.nodes.find((node) => node.id === id);
    expect(memory).toMatchObject({
      content: 'Write the client guide',
      createdBy: { email, documents: [{ title: 'Plan' }] },
    });
  });

  it('Apollo Client: completionStream over graphql-ws', async () => {
    const events = await lastValueFrom(
      apollo.client
        .subscribe({ query: CompletionStream, variables: completionInput })
        .pipe(toArray()),
    );
    expect(events.every((event) => event.error === undefined)).toBe(true);
    expectWholeCompletion(events.map((event) => event.data!.completionStream));
  });

  it.each([
    ['graphql-ws', () => urqlWs],
    ['SSE (graphql-sse)', () => urqlSse],
  ])('urql: completionStream over %s', async (_transport, connection) => {
    expectWholeCompletion(await streamCompletion(connection().client, completionInput.input));
  });

  it('the demo that `npm start` runs here prints what a person should see', async () => {
    const lines: string[] = [];
    await demo(endpoint, (line) => lines.push(line));
    expect(lines).toContain(`memory "Typed from the first line" by ${email} (documents: 1)`);
    expect(lines.at(-1)).toBe('completion: hello from urql over SSE');
  });

  describe('with the ui subgraph down', () => {
    beforeAll(() => supergraph.stop('ui'));

    it('Apollo Client (errorPolicy all): the other subgraphs data and the error', async () => {
      const { data, error } = await apollo.client.query({
        query: MemoriesWithAuthors,
        variables: { first: 10 },
        fetchPolicy: 'network-only',
        errorPolicy: 'all',
      });
      expect(data!.memories.nodes.length).toBeGreaterThan(0);
      for (const node of data!.memories.nodes) {
        expect(node.createdBy).toMatchObject({ email, documents: null });
      }
      expect(CombinedGraphQLErrors.is(error)).toBe(true);
      // Without errorPolicy 'all', the same answer rejects the query.
      await expect(
        apollo.client.query({
          query: MemoriesWithAuthors,
          variables: { first: 10 },
          fetchPolicy: 'network-only',
        }),
      ).rejects.toBeInstanceOf(CombinedGraphQLErrors);
      const errors = (error as CombinedGraphQLErrors).errors;
      expect(SUBGRAPH_DOWN).toContain(errors[0]!.extensions!['code']);
      expect(errors[0]!.extensions!['serviceName']).toBe('ui');
    });

    it('urql: result.data and result.error.graphQLErrors', async () => {
      const result = await urqlWs.client
        .query(MemoriesWithAuthors, { first: 10 }, { requestPolicy: 'network-only' })
        .toPromise();
      expect(result.data!.memories.nodes.length).toBeGreaterThan(0);
      for (const node of result.data!.memories.nodes) {
        expect(node.createdBy).toMatchObject({ email, documents: null });
      }
      const [first] = result.error!.graphQLErrors;
      expect(SUBGRAPH_DOWN).toContain(first!.extensions['code']);
      expect(first!.extensions['serviceName']).toBe('ui');
    });
  });
});
