import { randomUUID } from 'node:crypto';
import { createTestIssuer, errorCodes, graphql, graphqlLiteral } from '@supergraph/kit/testing';
import * as toolQueries from '../src/db/tools.js';
import { createToolsSubgraph } from '../src/subgraph.js';
import { testToolsConfig } from './setup.js';

// Wraps the batch function in a spy (same behaviour) so the tests can count SQL round trips.
jest.mock('../src/db/tools.js', () => {
  const actual = jest.requireActual('../src/db/tools.js');
  return { ...actual, toolsByIds: jest.fn(actual.toolsByIds) };
});

const TOOL_FIELDS = 'id name description inputSchema enabled createdBy { id } createdAt';
const REGISTER = `mutation($input: RegisterToolInput!) { registerTool(input: $input) { ${TOOL_FIELDS} } }`;
const SET_ENABLED = `mutation($id: ID!, $enabled: Boolean!) { setToolEnabled(id: $id, enabled: $enabled) { ${TOOL_FIELDS} } }`;
const ALL = `{ tools(first: 200, includeDisabled: true) { ${TOOL_FIELDS} } }`;
const OBJECT = { type: 'object' };
const SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

describe('tools subgraph', () => {
  let subgraph: Awaited<ReturnType<typeof createToolsSubgraph>>;
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  const adminId = randomUUID();
  let admin: string;
  let reader: string;
  const call = (query: string, variables: Record<string, unknown> = {}, token = admin) =>
    graphql(subgraph.yoga, { query, variables, token });
  const all = async () => (await call(ALL, {}, reader)).data;
  const register = (input: Record<string, unknown>, token = admin) =>
    call(REGISTER, { input }, token);

  beforeAll(async () => {
    issuer = await createTestIssuer();
    subgraph = await createToolsSubgraph(testToolsConfig(), { verifier: issuer.verifier });
    admin = await issuer.token(adminId, ['tools:admin', 'tools:read']);
    reader = await issuer.token(randomUUID(), ['tools:read']);
  });
  afterAll(() => subgraph.close());

  it('takes an input schema written inline as a JSON literal', async () => {
    const inline = await call(
      `mutation { registerTool(input: { name: "inline-schema", description: "Inline.", inputSchema: ${graphqlLiteral(SCHEMA)} }) { inputSchema } }`,
    );
    expect(inline.errors).toBeUndefined();
    expect(inline.data!.registerTool.inputSchema).toEqual(SCHEMA);
  });

  it('registers a tool and reads it by id, by name and in the list', async () => {
    const created = await register({
      name: 'weather',
      description: 'Weather by city.',
      inputSchema: SCHEMA,
    });
    expect(created.errors).toBeUndefined();
    const tool = created.data!.registerTool;
    expect(tool).toMatchObject({
      name: 'weather',
      inputSchema: SCHEMA,
      enabled: true,
      createdBy: { id: adminId },
    });
    const byId = await call(
      `query($id: ID!) { tool(id: $id) { ${TOOL_FIELDS} } }`,
      { id: tool.id },
      reader,
    );
    expect(byId.data!.tool).toEqual(tool);
    const byName = await call(
      `query($n: String!) { toolByName(name: $n) { ${TOOL_FIELDS} } }`,
      { n: 'weather' },
      reader,
    );
    expect(byName.data!.toolByName).toEqual(tool);
    expect((await all())!.tools).toContainEqual(tool);
    const unknown = await call(
      '{ toolByName(name: "nope") { id } tool(id: "nope") { id } }',
      {},
      reader,
    );
    expect(unknown.data).toEqual({ toolByName: null, tool: null });
  });

  it('switches a tool off and on', async () => {
    const { data } = await register({
      name: 'clock',
      description: 'The time.',
      inputSchema: OBJECT,
      enabled: false,
    });
    expect(data!.registerTool.enabled).toBe(false);
    const on = await call(SET_ENABLED, { id: data!.registerTool.id, enabled: true });
    expect(on.data!.setToolEnabled).toMatchObject({ name: 'clock', enabled: true });
    const before = await all();
    const missing = await call(SET_ENABLED, { id: randomUUID(), enabled: false });
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
    expect(await all()).toEqual(before);
  });

  it('needs a token, and the right scope', async () => {
    const anonymous = await graphql(subgraph.yoga, { query: '{ tools { id } }' });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const otherScopes = await issuer.token(randomUUID(), ['ui:read', 'ui:write']);
    expect(errorCodes(await call('{ tools { id } }', {}, otherScopes))).toEqual(['FORBIDDEN']);
    const before = await all();
    const input = { name: 'sneaky', description: 'x', inputSchema: OBJECT };
    expect(errorCodes(await register(input, reader))).toEqual(['FORBIDDEN']);
    const tool = before!.tools[0];
    expect(
      errorCodes(await call(SET_ENABLED, { id: tool.id, enabled: !tool.enabled }, reader)),
    ).toEqual(['FORBIDDEN']);
    expect(await all()).toEqual(before);
  });

  it.each([
    [{ name: '' }, 'input.name'],
    [{ name: 'Weather' }, 'input.name'],
    [{ name: '9lives' }, 'input.name'],
    [{ name: 'has space' }, 'input.name'],
    [{ name: `a${'b'.repeat(64)}` }, 'input.name'],
    [{ description: '  ' }, 'input.description'],
    [{ description: 'd'.repeat(2_001) }, 'input.description'],
    [{ inputSchema: [] }, 'input.inputSchema'],
    [{ inputSchema: 'object' }, 'input.inputSchema'],
    [{ inputSchema: { type: 'object', big: 'x'.repeat(70_000) } }, 'input.inputSchema'],
    [{ inputSchema: {} }, 'input.inputSchema'],
    [{ inputSchema: { type: 'string' } }, 'input.inputSchema'],
    [
      { inputSchema: { type: 'object', properties: { a: { type: 'strin' } } } },
      'input.inputSchema',
    ],
    [{ inputSchema: { type: 'object', properties: { a: { pattern: '(' } } } }, 'input.inputSchema'],
    [{ inputSchema: { type: 'object', $ref: '#/definitions/missing' } }, 'input.inputSchema'],
    [{ outputSchema: { type: 'object', required: 'a' } }, 'input.outputSchema'],
    [{ javascript: 'return (' }, 'input.javascript'],
    [{ javascript: 'return 1', http: { url: 'http://127.0.0.1/' } }, 'input.http'],
    [{ http: { url: 'http://169.254.169.254/latest/meta-data' } }, 'input.http.url'],
    [{ http: { url: 'ftp://example.com/' } }, 'input.http.url'],
    [{ tags: ['a', 'a'] }, 'input.tags'],
    [{ tags: ['x'.repeat(41)] }, 'input.tags.0'],
    [{ timeoutMs: 50 }, 'input.timeoutMs'],
    [{ title: 't'.repeat(201) }, 'input.title'],
  ])('refuses bad input %#, changing nothing', async (change, field) => {
    const before = await all();
    const result = await register({
      name: 'valid_name-1',
      description: 'ok',
      inputSchema: OBJECT,
      ...change,
    });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!['field']).toBe(field);
    expect(await all()).toEqual(before);
  });

  it('accepts a 64-character name', async () => {
    const name = `a${'b'.repeat(63)}`;
    const result = await register({ name, description: 'long name', inputSchema: OBJECT });
    expect(result.data!.registerTool.name).toBe(name);
  });

  it('refuses a duplicate name and keeps the first tool', async () => {
    await register({ name: 'search', description: 'first', inputSchema: { type: 'object' } });
    const before = await all();
    const again = await register({ name: 'search', description: 'second', inputSchema: OBJECT });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.extensions!['field']).toBe('input.name');
    expect(await all()).toEqual(before);
  });

  it('resolves Tool references in one batch', async () => {
    const tools = (await all())!.tools as { id: string; name: string }[];
    expect(tools.length).toBeGreaterThanOrEqual(3);
    jest.mocked(toolQueries.toolsByIds).mockClear();
    const result = await call(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Tool { id name } } }',
      {
        r: [
          ...tools.map(({ id }) => ({ __typename: 'Tool', id })),
          { __typename: 'Tool', id: randomUUID() },
        ],
      },
      reader,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual([...tools.map(({ id, name }) => ({ id, name })), null]);
    expect(toolQueries.toolsByIds).toHaveBeenCalledTimes(1);
  });
});
