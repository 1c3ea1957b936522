// A completion through the router on a fresh supergraph: the seeded offline-echo provider
// answers, and the usage it recorded belongs to the caller.
import { errorCodes, graphql } from '@supergraph/kit/testing';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import { subscribeSse, subscribeWs, untilOpenSubscriptions, wsClient } from '../realtime.js';

describe('completions through the router', () => {
  let supergraph: Supergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph();
  });
  afterAll(() => supergraph.close());

  it('answers with the offline echo provider and records the usage', async () => {
    const { token } = await signUp(supergraph.url, 'completer@example.com');
    const { data, errors } = await graphql(supergraph.url, {
      query: `mutation {
        complete(input: { messages: [{ role: USER, content: "Say hello" }], strategy: LOWEST_COST }) {
          text model { name } provider { name health { state breaker } } usage { totalTokens } cost
        }
      }`,
      token,
    });
    expect(errors).toBeUndefined();
    expect(data!.complete).toMatchObject({
      text: 'Say hello',
      model: { name: 'echo-1' },
      provider: { name: 'offline-echo', health: { state: 'HEALTHY', breaker: 'CLOSED' } },
      cost: 0,
    });
    const usage = await graphql(supergraph.url, {
      query: '{ usage(groupBy: MODEL) { requests } myBudget { monthlyLimit } }',
      token,
    });
    expect(usage.data).toEqual({ usage: [{ requests: 1 }], myBudget: { monthlyLimit: null } });
    const anonymous = await graphql(supergraph.url, {
      query: 'mutation { complete(input: { messages: [{ role: USER, content: "x" }] }) { text } }',
    });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('streams a completion through the router, over graphql-ws and SSE', async () => {
    const { token } = await signUp(supergraph.url);
    const operation = {
      query: `subscription($input: CompletionInput!) {
        completionStream(input: $input) {
          index delta done finishReason usage { completionTokens } model { name }
        }
      }`,
      variables: { input: { messages: [{ role: 'USER', content: 'stream these four words' }] } },
    };
    const client = wsClient(supergraph.url, token);
    try {
      for (const stream of [
        subscribeWs(client, operation),
        subscribeSse(supergraph.url, token, operation),
      ]) {
        await stream.done;
        const chunks = stream.results.map((result) => result.data!.completionStream);
        expect(stream.results.every((result) => result.errors === undefined)).toBe(true);
        expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, i) => i));
        expect(chunks.map((chunk) => chunk.delta).join('')).toBe('stream these four words');
        expect(chunks.at(-1)).toMatchObject({
          done: true,
          finishReason: 'STOP',
          model: { name: 'echo-1' },
        });
      }
    } finally {
      await client.dispose();
    }
    // Each stream was a completion of its own, and none is left open at the subgraph.
    await untilOpenSubscriptions(supergraph.services.provider, 0);
  });
});
