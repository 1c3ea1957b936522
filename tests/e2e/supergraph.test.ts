// Through the router: joins across subgraphs, authentication, request ids.
import { errorCodes, graphql } from '@supergraph/kit/testing';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';

describe('supergraph through the router', () => {
  let supergraph: Supergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph();
  });
  afterAll(() => supergraph.close());

  it('joins memory, security and ui in one query', async () => {
    const { token, userId } = await signUp(supergraph.url, 'joiner@example.com');
    const doc = await graphql(supergraph.url, {
      query: 'mutation { createDocument(input: { title: "Plan", content: "# Plan" }) { id } }',
      token,
    });
    expect(doc.errors).toBeUndefined();
    const memory = await graphql(supergraph.url, {
      query: 'mutation { createMemory(input: { content: "Ship the foundation" }) { id } }',
      token,
    });
    expect(memory.errors).toBeUndefined();

    const joined = await graphql(supergraph.url, {
      query: `{
        memories { nodes { content createdBy { id email displayName documents { title } } } }
      }`,
      token,
    });
    expect(joined.errors).toBeUndefined();
    expect(joined.data!.memories.nodes).toEqual([
      {
        content: 'Ship the foundation',
        createdBy: {
          id: userId,
          email: 'joiner@example.com',
          displayName: 'joiner',
          documents: [{ title: 'Plan' }],
        },
      },
    ]);
  });

  it('signs up, logs in, and runs an authenticated mutation', async () => {
    const { email } = await signUp(supergraph.url, 'login@example.com');
    const login = await graphql(supergraph.url, {
      query: 'mutation($i: LoginInput!) { login(input: $i) { token user { id } } }',
      variables: { i: { email, password: 'a long password' } },
    });
    expect(login.errors).toBeUndefined();
    const fold = await graphql(supergraph.url, {
      query:
        'mutation { createFold(input: { name: "work", capacity: 3 }) { id name capacity createdBy { id } } }',
      token: login.data!.login.token,
    });
    expect(fold.errors).toBeUndefined();
    expect(fold.data!.createFold).toMatchObject({
      name: 'work',
      capacity: 3,
      createdBy: { id: login.data!.login.user.id },
    });
  });

  it('refuses an unauthenticated mutation with UNAUTHENTICATED', async () => {
    const result = await graphql(supergraph.url, {
      query: 'mutation { createMemory(input: { content: "anonymous" }) { id } }',
    });
    expect(result.data).toBeNull();
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors![0]!.extensions!['serviceName']).toBe('memory');
  });

  it('refuses an invalid token at the router', async () => {
    const result = await graphql(supergraph.url, { query: '{ me { id } }', token: 'not.a.jwt' });
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.status).toBe(401);
    expect(result.response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('assigns a request id and forwards the one it is given', async () => {
    const fresh = await graphql(supergraph.url, { query: '{ __typename }' });
    expect(fresh.response.headers.get('x-request-id')).toMatch(/^[\w-]{16,}$/);
    const given = await graphql(supergraph.url, {
      query: '{ __typename }',
      headers: { 'x-request-id': 'req-abc-123' },
    });
    expect(given.response.headers.get('x-request-id')).toBe('req-abc-123');
  });

  it('serves GraphiQL on GET /graphql and reports every subgraph in /readyz', async () => {
    const page = await fetch(supergraph.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('graphiql');
    const ready = await fetch(supergraph.url.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
    const body = await ready.json();
    expect(body.breakers).toEqual({
      memory: 'closed',
      provider: 'closed',
      security: 'closed',
      ui: 'closed',
      tools: 'closed',
    });
  });
});
