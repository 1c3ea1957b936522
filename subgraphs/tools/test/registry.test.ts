// The registry as MCP shapes it: output schemas, annotations, tags, versions, titles; search
// and listing that hide disabled tools unless asked; update and delete; the code of a
// JavaScript tool visible to admins only.
import { randomUUID } from 'node:crypto';
import { createTestIssuer, errorCodes, graphql } from '@supergraph/kit/testing';
import { createToolsSubgraph } from '../src/subgraph.js';
import { objectSchema, testToolsConfig } from './setup.js';

const FIELDS =
  'id name title description inputSchema outputSchema annotations { readOnlyHint destructiveHint idempotentHint openWorldHint } tags version kind code endpoint timeoutMs enabled updatedAt';
const REGISTER = `mutation($input: RegisterToolInput!) { registerTool(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateToolInput!) { updateTool(id: $id, input: $input) { ${FIELDS} } }`;
const LIST = `query($search: String, $tag: String, $all: Boolean) { tools(first: 200, search: $search, tag: $tag, includeDisabled: $all) { name } }`;

describe('tool registry', () => {
  let subgraph: Awaited<ReturnType<typeof createToolsSubgraph>>;
  let admin: string;
  let reader: string;
  const call = (query: string, variables: Record<string, unknown> = {}, token = admin) =>
    graphql(subgraph.yoga, { query, variables, token });
  const names = async (variables: Record<string, unknown>) =>
    ((await call(LIST, variables, reader)).data!.tools as { name: string }[]).map((t) => t.name);

  beforeAll(async () => {
    const issuer = await createTestIssuer();
    subgraph = await createToolsSubgraph(testToolsConfig({ egressAllow: '127.0.0.1' }), {
      verifier: issuer.verifier,
    });
    admin = await issuer.token(randomUUID(), ['tools:admin', 'tools:read']);
    reader = await issuer.token(randomUUID(), ['tools:read']);
  });
  afterAll(() => subgraph.close());

  it('keeps what MCP describes: title, output schema, annotations, tags, version', async () => {
    const input = {
      name: 'forecast',
      title: 'Weather forecast',
      description: 'Tomorrow at a city.',
      inputSchema: objectSchema({ city: { type: 'string', minLength: 1 } }),
      outputSchema: objectSchema({ celsius: { type: 'number' } }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
      tags: ['weather', 'public'],
      version: '2.1.0',
      javascript: 'return { celsius: 21 }',
      timeoutMs: 5_000,
    };
    const created = await call(REGISTER, { input });
    expect(created.errors).toBeUndefined();
    const { javascript, ...described } = input;
    expect(created.data!.registerTool).toMatchObject({
      ...described,
      annotations: {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: true,
      },
      kind: 'JAVASCRIPT',
      code: javascript,
      endpoint: null,
      enabled: true,
    });
    // A reader sees the tool but not its code.
    const asReader = await call(
      'query($n: String!) { toolByName(name: $n) { code kind } }',
      { n: 'forecast' },
      reader,
    );
    expect(asReader.data!.toolByName).toEqual({ code: null, kind: 'JAVASCRIPT' });
  });

  it('registers an HTTP tool on an allowed host, and a CLIENT tool without code', async () => {
    const http = await call(REGISTER, {
      input: {
        name: 'echo-http',
        description: 'Echoes.',
        inputSchema: objectSchema(),
        http: { url: 'http://127.0.0.1:9/echo', headers: { 'x-team': 'ops' } },
      },
    });
    expect(http.errors).toBeUndefined();
    expect(http.data!.registerTool).toMatchObject({
      kind: 'HTTP',
      endpoint: 'http://127.0.0.1:9/echo',
    });
    const client = await call(REGISTER, {
      input: { name: 'pick-color', description: 'Asks the user.', inputSchema: objectSchema() },
    });
    expect(client.data!.registerTool.kind).toBe('CLIENT');
    const refused = await call(REGISTER, {
      input: {
        name: 'elsewhere',
        description: 'Not allowed.',
        inputSchema: objectSchema(),
        http: { url: 'https://example.com/' },
      },
    });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0]!.extensions!['field']).toBe('input.http.url');
    expect(await names({ search: 'elsewhere', all: true })).toEqual([]);
  });

  it('searches name, title and description, filters by tag, and hides disabled tools', async () => {
    await call(REGISTER, {
      input: {
        name: 'stock-quote',
        title: 'Share price',
        description: 'The last trade of a ticker.',
        inputSchema: objectSchema(),
        tags: ['finance'],
      },
    });
    await call(REGISTER, {
      input: {
        name: 'fx-rate',
        description: 'An exchange RATE.',
        inputSchema: objectSchema(),
        tags: ['finance'],
        enabled: false,
      },
    });
    expect(await names({ tag: 'finance' })).toEqual(['stock-quote']);
    expect(await names({ tag: 'finance', all: true })).toEqual(['fx-rate', 'stock-quote']);
    expect(await names({ search: 'share PRICE' })).toEqual(['stock-quote']);
    expect(await names({ search: 'rate', all: true })).toEqual(['fx-rate']);
    expect(await names({ search: 'ticker' })).toEqual(['stock-quote']);
    // LIKE wildcards in the words are literal.
    expect(await names({ search: '%', all: true })).toEqual([]);
    expect(await names({ search: 'nothing-like-it', all: true })).toEqual([]);
  });

  it('updates the fields given, clears those given as null, and refuses bad changes', async () => {
    const { data } = await call(REGISTER, {
      input: {
        name: 'adder',
        title: 'Adder',
        description: 'Adds.',
        inputSchema: objectSchema({ a: { type: 'number' } }),
        javascript: 'return args.a + 1',
        tags: ['math'],
      },
    });
    const tool = data!.registerTool;
    const changed = await call(UPDATE, {
      id: tool.id,
      input: {
        title: null,
        description: 'Adds one.',
        version: '1.1.0',
        javascript: 'return args.a + 2',
        annotations: { idempotentHint: true },
      },
    });
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.updateTool).toMatchObject({
      title: null,
      description: 'Adds one.',
      version: '1.1.0',
      code: 'return args.a + 2',
      tags: ['math'],
      annotations: { idempotentHint: true, readOnlyHint: false },
    });
    expect(new Date(changed.data!.updateTool.updatedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(tool.updatedAt).getTime(),
    );
    const before = changed.data!.updateTool;
    for (const [input, field] of [
      [{ http: { url: 'http://127.0.0.1:9/' } }, 'input.http'],
      [{ javascript: 'return )' }, 'input.javascript'],
      [{ inputSchema: { type: 'array' } }, 'input.inputSchema'],
      [{ description: ' ' }, 'input.description'],
    ] as const) {
      const refused = await call(UPDATE, { id: tool.id, input });
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0]!.extensions!['field']).toBe(field);
    }
    const after = await call(`query($id: ID!) { tool(id: $id) { ${FIELDS} } }`, { id: tool.id });
    expect(after.data!.tool).toEqual(before);
    expect(errorCodes(await call(UPDATE, { id: randomUUID(), input: { version: '2' } }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(
      errorCodes(await call(UPDATE, { id: tool.id, input: { version: '2' } }, reader)),
    ).toEqual(['FORBIDDEN']);
  });

  it('deletes a tool', async () => {
    const { data } = await call(REGISTER, {
      input: { name: 'short-lived', description: 'Gone soon.', inputSchema: objectSchema() },
    });
    const id = data!.registerTool.id;
    const remove = `mutation($id: ID!) { deleteTool(id: $id) }`;
    expect(errorCodes(await call(remove, { id }, reader))).toEqual(['FORBIDDEN']);
    expect((await call(remove, { id })).data).toEqual({ deleteTool: true });
    expect((await call(remove, { id })).data).toEqual({ deleteTool: false });
    expect(await names({ search: 'short-lived', all: true })).toEqual([]);
  });
});
