// Costly operations as an attacker sends them (issue 8, finding 1): the nested similar query
// that exhausted the memory subgraph's heap and 500 aliases of a top-1000 search are refused
// with QUERY_TOO_COMPLEX at the router before any subgraph is called, and by the memory
// subgraph when sent to it straight; each limit names itself and its numbers, over HTTP and
// graphql-ws; operations within the limits, the README's join among them, still work.
import { errorCodes, graphql, type Result } from '@supergraph/kit/testing';
import { getIntrospectionQuery } from 'graphql';
import type { Client } from 'graphql-ws';
import { readFileSync } from 'node:fs';
import { parseConfig as parseRouterConfig } from '../../router/src/config.js';
import { createRouter } from '../../router/src/router.js';
import { SUPERGRAPH_FILE } from '../../schema/compose.js';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import { subscribeWs, wsClient } from '../realtime.js';

/** `levels` of `memory { similar(topK) { ... } }` under a search of `topK`. */
function nestedSimilar(levels: number, topK = 1000): string {
  let selection = 'content';
  for (let level = 0; level < levels; level += 1) {
    selection = `content similar(topK: ${topK}) { score memory { ${selection} } }`;
  }
  return `{ searchMemories(input: { text: "x", topK: ${topK} }) { score memory { ${selection} } } }`;
}

const NESTED = nestedSimilar(5);
const ALIASES = `{ ${Array.from(
  { length: 500 },
  (_, i) => `a${i}: searchMemories(input: { text: "x", topK: 1000 }) { score memory { content } }`,
).join(' ')} }`;

/** The operation of the README's "Limits" paragraph, with topK as a variable. */
const SEARCH_SIMILAR =
  'query($k: Int!) { searchMemories(input: { text: "x", topK: $k }) { memory { similar(topK: $k) { score } } } }';

/** The sum of a service's graphql_requests_total, read from its /metrics as a scraper would. */
async function graphqlRequests(graphqlUrl: string): Promise<number> {
  const text = await (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('graphql_requests_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** The introspection query GraphiQL sends, with every option it may turn on. */
const INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
});

const limitsOf = (result: Result) =>
  (result.errors ?? []).map((error) => error.extensions?.['limit']);

const refusalOf = (result: Result, limit: string) =>
  result.errors?.find((error) => error.extensions?.['limit'] === limit);

describe('operation limits through the router', () => {
  let supergraph: Supergraph;
  let token: string;
  let memoryUrl: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    supergraph = await startSupergraph();
    memoryUrl = supergraph.subgraphUrls.memory;
    ({ token } = await signUp(supergraph.url, 'limits@example.com'));
    for (const content of ['The deploy runs at two', 'Search is served from pgvector']) {
      const created = await graphql(supergraph.url, {
        query: 'mutation($c: String!) { createMemory(input: { content: $c }) { id } }',
        variables: { c: content },
        token,
      });
      expect(created.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await supergraph.close();
  });

  /** Sends `call` to the router and checks that the memory subgraph saw no request. */
  async function withoutMemoryCall(call: () => Promise<Result & { status: number }>) {
    const before = await graphqlRequests(memoryUrl);
    const result = await call();
    expect(await graphqlRequests(memoryUrl)).toBe(before);
    return result;
  }

  it('counts the memory subgraph’s requests, so that an unchanged count means no call', async () => {
    const before = await graphqlRequests(memoryUrl);
    const result = await graphql(supergraph.url, { query: nestedSimilar(1, 2), token });
    expect(result.errors).toBeUndefined();
    expect(await graphqlRequests(memoryUrl)).toBeGreaterThan(before);
  });

  it('refuses the nested similar query (five levels of topK 1000) before any subgraph call', async () => {
    const result = await withoutMemoryCall(() => graphql(supergraph.url, { query: NESTED, token }));
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(new Set(errorCodes(result))).toEqual(new Set(['QUERY_TOO_COMPLEX']));
    expect(limitsOf(result)).toEqual(['depth', 'cost']);
    const cost = refusalOf(result, 'cost')!;
    expect(cost.extensions).toMatchObject({ max: 10_000 });
    expect(cost.extensions!['actual']).toBeGreaterThan(1000 ** 5);
    expect(cost.message).toMatch(/^The operation's cost is \d+; the limit is 10000\.$/);
  });

  it('refuses 500 aliases of a top-1000 search before any subgraph call, in a small answer', async () => {
    const before = await graphqlRequests(memoryUrl);
    const response = await fetch(supergraph.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: ALIASES }),
    });
    const text = await response.text();
    expect(await graphqlRequests(memoryUrl)).toBe(before);
    expect(response.status).toBe(400);
    expect(text.length).toBeLessThan(1_000); // it was 41.6 MB
    const body = JSON.parse(text) as Result;
    expect(errorCodes(body)).toEqual(['QUERY_TOO_COMPLEX']);
    // Refused while parsing: the first 1000 tokens were read, the rest never.
    expect(body.errors![0]!.extensions).toMatchObject({ limit: 'tokens', max: 1000 });
  });

  it.each([
    ['depth', nestedSimilar(4, 1).replace(/topK: \d+/g, 'topK: 1'), 10, 11],
    [
      'aliases',
      `{ me { ${Array.from({ length: 51 }, (_, i) => `a${i}: id`).join(' ')} } }`,
      50,
      51,
    ],
    [
      'rootFields',
      `{ ${Array.from({ length: 11 }, (_, i) => `a${i}: me { id }`).join(' ')} }`,
      10,
      11,
    ],
    ['tokens', `{ me { ${'id '.repeat(1_000)}} }`, 1000, 1001],
    ['directives', `{ me { ${'id @include(if: true) '.repeat(51)}} }`, 50, 51],
    [
      'cost',
      '{ memories(first: 1000) { nodes { content createdBy { email documents { title } } } } }',
      10_000,
      1 + 1000 * (1 + 1 + (1 + 1 + (1 + 10))),
    ],
  ])('refuses past the %s limit, naming it and both numbers', async (limit, query, max, actual) => {
    const result = await withoutMemoryCall(() => graphql(supergraph.url, { query, token }));
    expect(result.status).toBe(400);
    expect(result.errors).toEqual([
      expect.objectContaining({
        extensions: { code: 'QUERY_TOO_COMPLEX', limit, max, actual },
      }),
    ]);
  });

  it('refuses fragments that expand past estimating, before any subgraph call', async () => {
    // Forty fragments, each spreading the one before twice: 2^40 searches in 2 KB.
    const fragments = ['fragment F0 on Query { searchMemories(input: { text: "x" }) { score } }'];
    for (let i = 1; i <= 40; i += 1) {
      fragments.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
    }
    const query = `{ ...F40 } ${fragments.join(' ')}`;
    const result = await withoutMemoryCall(() => graphql(supergraph.url, { query, token }));
    expect(result.status).toBe(400);
    expect(result.errors).toEqual([
      expect.objectContaining({
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 10_000, actual: null },
      }),
    ]);
  });

  it('counts list sizes given as variables', async () => {
    const within = await graphql(supergraph.url, {
      query: SEARCH_SIMILAR,
      variables: { k: 3 },
      token,
    });
    expect(within.errors).toBeUndefined();
    expect(within.data!.searchMemories.length).toBeGreaterThan(0);
    const past = await withoutMemoryCall(() =>
      graphql(supergraph.url, { query: SEARCH_SIMILAR, variables: { k: 1000 }, token }),
    );
    expect(past.errors).toEqual([
      expect.objectContaining({
        message: "The operation's cost is 1002001; the limit is 10000.",
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 10_000, actual: 1_002_001 },
      }),
    ]);
  });

  it('answers operations within the limits: the README join across three subgraphs', async () => {
    const document = await graphql(supergraph.url, {
      query: 'mutation { createDocument(input: { title: "Plan", content: "# Plan" }) { id } }',
      token,
    });
    expect(document.errors).toBeUndefined();
    const joined = await graphql(supergraph.url, {
      query: `{
        memories(first: 10) {
          nodes { content createdBy { displayName email documents { title } } }
        }
      }`,
      token,
    });
    expect(joined.errors).toBeUndefined();
    expect(joined.data!.memories.nodes).toContainEqual({
      content: 'The deploy runs at two',
      createdBy: {
        displayName: 'limits',
        email: 'limits@example.com',
        documents: [{ title: 'Plan' }],
      },
    });
  });

  it('refuses over graphql-ws too, as errors of the subscription, keeping the connection', async () => {
    const closes: number[] = [];
    const client = wsClient(supergraph.url, token, { onClosed: ({ code }) => closes.push(code) });
    clients.push(client);
    // A live subscription keeps the lazy client's one connection open throughout.
    const live = subscribeWs(client, { query: 'subscription { memoryEvents { memoryId } }' });
    const tooLong = subscribeWs(client, {
      query: `subscription { memoryEvents { ${'memoryId '.repeat(1_000)}} }`,
    });
    await expect(tooLong.done).rejects.toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens' }),
      }),
    ]);
    const costly = subscribeWs(client, {
      query:
        'subscription { memoryEvents { memory { similar(topK: 1000) { memory { similar(topK: 1000) { score } } } } } }',
    });
    await expect(costly.done).rejects.toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 'cost' }),
      }),
    ]);
    const fine = subscribeWs(client, { query: '{ me { email } }' });
    await fine.done;
    expect(fine.results).toEqual([{ data: { me: { email: 'limits@example.com' } } }]);
    expect(closes).toEqual([]);
    live.unsubscribe();
  });

  it('refuses a subscription over SSE before it starts', async () => {
    const response = await fetch(supergraph.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        query: `subscription { memoryEvents { ${Array.from({ length: 51 }, (_, i) => `a${i}: memoryId`).join(' ')} } }`,
      }),
    });
    const text = await response.text();
    expect(text).toContain('"code":"QUERY_TOO_COMPLEX"');
    expect(text).toContain('"limit":"aliases"');
  });

  describe('introspection', () => {
    /** A second router on the same subgraphs, configured by `env`. */
    async function routerWith(env: Record<string, string>) {
      return createRouter(
        parseRouterConfig({
          LOG_LEVEL: 'silent',
          PORT: '0',
          SECURITY_JWKS_URL: supergraph.subgraphUrls.security.replace(
            /\/graphql$/,
            '/.well-known/jwks.json',
          ),
          SUBGRAPH_URLS: Object.entries(supergraph.subgraphUrls)
            .map(([name, url]) => `${name}=${url}`)
            .join(','),
          ...env,
        }),
        { supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8') },
      );
    }

    it('answers GraphiQL’s introspection query in test and in development', async () => {
      const inTest = await graphql(supergraph.url, { query: INTROSPECTION });
      expect(inTest.errors).toBeUndefined();
      expect(inTest.data!.__schema.queryType).toMatchObject({ name: 'Query' });
      const development = await routerWith({ NODE_ENV: 'development' });
      try {
        const result = await graphql(development.yoga, { query: INTROSPECTION });
        expect(result.errors).toBeUndefined();
      } finally {
        await development.close();
      }
    });

    it.each([
      ['INTROSPECTION=false', { NODE_ENV: 'development', INTROSPECTION: 'false' }],
      ['production, by default', { NODE_ENV: 'production' }],
    ])('refuses introspection with %s, with a clear error', async (_case, env) => {
      const router = await routerWith(env);
      try {
        const result = await graphql(router.yoga, { query: INTROSPECTION });
        expect(result.status).toBe(400);
        expect(result.data).toBeUndefined();
        // graphql's rule names each introspection field; the first is __schema.
        expect(new Set(errorCodes(result))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
        expect(result.errors![0]!.message).toBe(
          'GraphQL introspection has been disabled, but the requested query contained the field "__schema".',
        );
        const typename = await graphql(router.yoga, { query: '{ __typename }' });
        expect(typename.data).toEqual({ __typename: 'Query' });
      } finally {
        await router.close();
      }
    });
  });

  describe('sent straight to the memory subgraph', () => {
    it('refuses the nested query and the 500 aliases there too', async () => {
      const nested = await graphql(memoryUrl, { query: NESTED, token });
      expect(nested.status).toBe(400);
      expect(limitsOf(nested)).toEqual(['depth', 'cost']);
      const aliases = await graphql(memoryUrl, { query: ALIASES, token });
      expect(aliases.status).toBe(400);
      expect(errorCodes(aliases)).toEqual(['QUERY_TOO_COMPLEX']);
    });

    it('counts an entity fetch by its representations', async () => {
      const query =
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Memory { similar(topK: 100) { score } } } }';
      const representations = (n: number) =>
        Array.from({ length: n }, () => ({
          __typename: 'Memory',
          id: '00000000-0000-4000-8000-000000000000',
        }));
      const past = await graphql(memoryUrl, {
        query,
        variables: { r: representations(1000) },
        token,
      });
      expect(refusalOf(past, 'cost')?.extensions).toMatchObject({ actual: 1 + 1000 * (1 + 100) });
      const within = await graphql(memoryUrl, {
        query,
        variables: { r: representations(2) },
        token,
      });
      expect(errorCodes(within)).not.toContain('QUERY_TOO_COMPLEX');
    });
  });
});
