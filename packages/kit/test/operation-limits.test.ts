// The operation limits in a yoga app: each limit refused with QUERY_TOO_COMPLEX naming it and
// both numbers, before any resolver runs; the cost read from each request's variables even
// when yoga answers validation from its cache; introspection as configured.
import { createSchema, createYoga } from 'graphql-yoga';
import { buildSchema, getIntrospectionQuery } from 'graphql';
import { serviceConfig, serviceEnvShape, testSubgraphConfig } from '../src/config.js';
import {
  checkOperationLimits,
  DEFAULT_OPERATION_LIMITS,
  useOperationLimits,
  type OperationLimits,
} from '../src/operation-limits.js';
import { createSubgraphServer, type BaseContext } from '../src/server.js';
import { errorCodes, graphql } from '../src/testing.js';
import { z } from 'zod';

const typeDefs = /* GraphQL */ `
  type Query {
    item: Item
    items(first: Int = 5): [Item!]!
    search(input: SearchInput!): [Item!]!
  }
  input SearchInput {
    text: String!
    topK: Int = 10
  }
  type Item {
    id: ID!
    child: Item
    similar(topK: Int = 5): [Item!]!
  }
`;

const LIMITS: OperationLimits = {
  maxDepth: 4,
  maxAliases: 3,
  maxRootFields: 3,
  maxTokens: 60,
  maxDirectives: 2,
  maxCost: 100,
  defaultListSize: 10,
};

function appWith(limits: OperationLimits = LIMITS, introspection = true) {
  let resolved = 0;
  const item = (): Record<string, unknown> => {
    resolved += 1;
    return { id: String(resolved), child: item, similar: () => [item()] };
  };
  const yoga = createYoga({
    schema: createSchema({
      typeDefs,
      resolvers: { Query: { item, items: () => [item()], search: () => [item()] } },
    }),
    plugins: [useOperationLimits({ limits, introspection })],
  });
  return { yoga, resolved: () => resolved };
}

const refusal = (result: {
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}) =>
  result.errors?.map(({ message, extensions }) => ({
    message,
    limit: extensions?.['limit'],
    max: extensions?.['max'],
    actual: extensions?.['actual'],
    code: extensions?.['code'],
  }));

describe('useOperationLimits', () => {
  const app = appWith();

  it.each([
    [
      'depth',
      '{ item { child { child { child { child { id } } } } } }',
      4,
      6,
      "The operation's depth is 6; the limit is 4.",
    ],
    [
      'aliases',
      '{ item { a: id b: id c: id d: id } }',
      3,
      4,
      'The operation uses 4 aliases; the limit is 3.',
    ],
    [
      'rootFields',
      '{ item { id } a: item { id } b: item { id } c: item { id } }',
      3,
      4,
      'The operation selects 4 root fields; the limit is 3.',
    ],
    [
      'directives',
      '{ item { id @skip(if: false) child @skip(if: false) { id } x: id @include(if: true) } }',
      2,
      3,
      'The operation uses 3 directives; the limit is 2.',
    ],
    [
      'cost',
      '{ items(first: 50) { id similar(topK: 3) { id } } }',
      100,
      1 + 50 * (1 + 1 + 3),
      "The operation's cost is 251; the limit is 100.",
    ],
  ])(
    'refuses past the %s limit with its numbers, before any resolver',
    async (limit, query, max, actual, message) => {
      const before = app.resolved();
      const result = await graphql(app.yoga, { query });
      expect(result.status).toBe(400);
      expect(refusal(result)).toEqual([{ message, limit, max, actual, code: 'QUERY_TOO_COMPLEX' }]);
      expect(result.data).toBeUndefined();
      expect(app.resolved()).toBe(before);
    },
  );

  it('stops parsing past the token limit', async () => {
    const result = await graphql(app.yoga, { query: `{ item { ${'id '.repeat(100)}} }` });
    expect(result.status).toBe(400);
    expect(refusal(result)).toEqual([
      {
        message: 'The operation has more than 60 tokens; the limit is 60.',
        limit: 'tokens',
        max: 60,
        actual: 61,
        code: 'QUERY_TOO_COMPLEX',
      },
    ]);
  });

  it('refuses fragments that expand past estimating as too costly', async () => {
    const fragments = ['fragment F0 on Query { item { id } }'];
    for (let i = 1; i <= 30; i += 1) {
      fragments.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
    }
    const roomy = appWith({ ...DEFAULT_OPERATION_LIMITS, maxTokens: 10_000 });
    const result = await graphql(roomy.yoga, { query: `{ ...F30 } ${fragments.join(' ')}` });
    expect(result.status).toBe(400);
    expect(refusal(result)).toEqual([
      {
        message:
          'The operation selects more than 5000 fields once its fragments are expanded; its cost is past estimating and the limit is 10000.',
        limit: 'cost',
        max: 10_000,
        actual: null,
        code: 'QUERY_TOO_COMPLEX',
      },
    ]);
    expect(roomy.resolved()).toBe(0);
  });

  it('does not count fragments as depth', async () => {
    const query = '{ item { ... on Item { child { ...C } } } } fragment C on Item { child { id } }';
    const result = await graphql(app.yoga, { query });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ item: { child: { child: { id: expect.any(String) } } } });
  });

  it('reports every limit an operation is past at once', async () => {
    const query = `{ ${['a', 'b', 'c', 'd'].map((alias) => `${alias}: items(first: 30) { id }`).join(' ')} }`;
    const result = await graphql(app.yoga, { query });
    expect(refusal(result)?.map((error) => error.limit)).toEqual(['aliases', 'rootFields', 'cost']);
  });

  it('reads the cost from each request’s variables, also for a document validated before', async () => {
    const query =
      'query($k: Int) { search(input: { text: "x", topK: $k }) { similar(topK: $k) { id } } }';
    // yoga caches the validation of the first request of a document, refused or not.
    const past = { limit: 'cost', max: 100, actual: 1 + 30 * (1 + 30 * 1) };
    expect(refusal(await graphql(app.yoga, { query, variables: { k: 30 } }))).toEqual([
      expect.objectContaining(past),
    ]);
    expect((await graphql(app.yoga, { query, variables: { k: 2 } })).errors).toBeUndefined();
    expect(refusal(await graphql(app.yoga, { query, variables: { k: 30 } }))).toEqual([
      expect.objectContaining(past),
    ]);
    expect((await graphql(app.yoga, { query, variables: { k: 2 } })).errors).toBeUndefined();
  });

  it('answers an operation within every limit', async () => {
    const result = await graphql(app.yoga, { query: '{ items(first: 3) { id similar { id } } }' });
    expect(result.errors).toBeUndefined();
    expect(result.data!['items']).toHaveLength(1);
  });

  it('lets introspection through when enabled, without counting it', async () => {
    const roomy = appWith({ ...DEFAULT_OPERATION_LIMITS, maxCost: 1 });
    const result = await graphql(roomy.yoga, { query: getIntrospectionQuery() });
    expect(result.errors).toBeUndefined();
    expect(result.data!['__schema']).toBeDefined();
  });

  it('refuses introspection when disabled, with a clear error', async () => {
    const closed = appWith(DEFAULT_OPERATION_LIMITS, false);
    const result = await graphql(closed.yoga, { query: '{ __schema { types { name } } }' });
    expect(result.status).toBe(400);
    expect(result.errors![0]!.message).toBe(
      'GraphQL introspection has been disabled, but the requested query contained the field "__schema".',
    );
    expect(
      (await graphql(closed.yoga, { query: '{ __typename item { id } }' })).errors,
    ).toBeUndefined();
  });
});

describe('checkOperationLimits', () => {
  const schema = buildSchema(typeDefs);
  const settings = { limits: LIMITS, introspection: true };

  it('gives the refusals a server would', () => {
    expect(checkOperationLimits(schema, '{ items(first: 3) { id } }', settings)).toEqual([]);
    const errors = checkOperationLimits(
      schema,
      'query($n: Int) { items(first: $n) { id } }',
      settings,
      {
        variables: { n: 500 },
      },
    );
    expect(errors.map((error) => error.extensions)).toEqual([
      expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', actual: 501 }),
    ]);
  });

  it('does not estimate a document that is invalid for another reason', () => {
    const errors = checkOperationLimits(schema, '{ items(first: 500) { colour } }', settings);
    expect(errors.map((error) => error.message)).toEqual([
      'Cannot query field "colour" on type "Item".',
    ]);
  });
});

describe('limits in the service config', () => {
  const env = (values: Record<string, string>) =>
    serviceConfig('demo', { ...z.object(serviceEnvShape).parse(values), PORT: 0 });

  it('has the defaults, and reads every LIMIT_* setting', () => {
    expect(env({}).limits).toEqual(DEFAULT_OPERATION_LIMITS);
    expect(
      env({
        LIMIT_MAX_DEPTH: '3',
        LIMIT_MAX_ALIASES: '0',
        LIMIT_MAX_ROOT_FIELDS: '2',
        LIMIT_MAX_TOKENS: '40',
        LIMIT_MAX_DIRECTIVES: '1',
        LIMIT_MAX_COST: '99',
        LIMIT_DEFAULT_LIST_SIZE: '4',
      }).limits,
    ).toEqual({
      maxDepth: 3,
      maxAliases: 0,
      maxRootFields: 2,
      maxTokens: 40,
      maxDirectives: 1,
      maxCost: 99,
      defaultListSize: 4,
    });
  });

  it('turns introspection off in production unless INTROSPECTION says otherwise', () => {
    expect(env({}).introspection).toBe(true);
    expect(env({ NODE_ENV: 'test' }).introspection).toBe(true);
    expect(env({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(env({ NODE_ENV: 'production', INTROSPECTION: '' }).introspection).toBe(false);
    expect(env({ NODE_ENV: 'production', INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(env({ INTROSPECTION: 'false' }).introspection).toBe(false);
  });
});

describe('a subgraph server', () => {
  it('applies the limits of its config, with the registry code kept by error masking', async () => {
    const server = createSubgraphServer<BaseContext>({
      config: testSubgraphConfig('demo', {
        env: 'production',
        limits: { ...DEFAULT_OPERATION_LIMITS, maxAliases: 1 },
        introspection: false,
      }),
      sourceDir: `${__dirname}/fixture/src`,
      resolvers: { Query: { hello: () => 'world' } },
      context: (base) => base,
    });
    try {
      const aliases = await graphql(server.yoga, { query: '{ a: hello b: hello }' });
      expect(aliases.status).toBe(400);
      expect(errorCodes(aliases)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(aliases.errors![0]!.extensions).toEqual({
        code: 'QUERY_TOO_COMPLEX',
        limit: 'aliases',
        max: 1,
        actual: 2,
      });
      const introspection = await graphql(server.yoga, {
        query: '{ __type(name: "Query") { name } }',
      });
      expect(errorCodes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(introspection.errors![0]!.message).toContain('introspection has been disabled');
    } finally {
      await server.close();
    }
  });
});
