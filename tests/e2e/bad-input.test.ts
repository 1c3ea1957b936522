// Bad input through the router: clear, coded errors, never a 500, and nothing written.
import { errorCodes, graphql } from '@supergraph/kit/testing';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';

describe('bad input through the router', () => {
  let supergraph: Supergraph;
  let token: string;
  beforeAll(async () => {
    supergraph = await startSupergraph({ env: { MAX_BODY_BYTES: '65536' } });
    ({ token } = await signUp(supergraph.url));
  });
  afterAll(() => supergraph.close());

  const countMemories = async () =>
    (await graphql(supergraph.url, { query: '{ memories(first: 100) { nodes { id } } }', token }))
      .data!.memories.nodes.length;

  it('answers a malformed query with GRAPHQL_PARSE_FAILED', async () => {
    const result = await graphql(supergraph.url, { query: '{ memories { id ' });
    expect(result.status).toBe(400);
    expect(errorCodes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(result.errors![0]!.message).toMatch(/Syntax Error/);
  });

  it('answers an unknown field with GRAPHQL_VALIDATION_FAILED naming it', async () => {
    const result = await graphql(supergraph.url, {
      query: '{ memories { nodes { id colour } } }',
      token,
    });
    expect(result.status).toBe(400);
    expect(errorCodes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors![0]!.message).toContain('colour');
  });

  it('answers a wrong variable type with BAD_USER_INPUT', async () => {
    const result = await graphql(supergraph.url, {
      query: 'query($n: Int) { memories(first: $n) { nodes { id } } }',
      variables: { n: 'ten' },
      token,
    });
    expect(result.status).toBeLessThan(500);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses an oversized body with 413 PAYLOAD_TOO_LARGE', async () => {
    const result = await graphql(supergraph.url, {
      query: 'mutation($c: String!) { createMemory(input: { content: $c }) { id } }',
      variables: { c: 'x'.repeat(70_000) },
      token,
    });
    expect(result.status).toBe(413);
    expect(errorCodes(result)).toEqual(['PAYLOAD_TOO_LARGE']);
  });

  it('leaves stored data unchanged when a mutation fails', async () => {
    await graphql(supergraph.url, {
      query: 'mutation { createMemory(input: { content: "kept" }) { id } }',
      token,
    });
    const before = await countMemories();
    const failed = await graphql(supergraph.url, {
      query: 'mutation { createMemory(input: { content: "   ", metadata: { a: 1 } }) { id } }',
      token,
    });
    expect(errorCodes(failed)).toEqual(['BAD_USER_INPUT']);
    expect(failed.errors![0]!.extensions).toMatchObject({
      field: 'input.content',
      serviceName: 'memory',
    });
    expect(await countMemories()).toBe(before);
  });
});
