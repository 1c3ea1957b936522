// The /mcp endpoint in process (no port), exercised by the SDK's own Client through a fetch
// that hands its Requests to the endpoint, with a fake catalog and executor.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { codedError, createLogger, notFound, type Identity } from '@supergraph/kit';
import { createTestIssuer, waitFor } from '@supergraph/kit/testing';
import {
  createMcpEndpoint,
  FORBIDDEN_ERROR_CODE,
  type CatalogTool,
  type ToolExecutor,
} from '../src/mcp/endpoint.js';

const URL_OF_ENDPOINT = 'http://tools.test/mcp';
const MAX_BODY_BYTES = 16_384;
const ALL_SCOPES = ['tools:read', 'tools:execute'];

const CATALOG: CatalogTool[] = [
  {
    name: 'add',
    title: 'Add',
    description: 'Adds two numbers',
    inputSchema: {
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    },
    outputSchema: { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] },
    annotations: { readOnlyHint: true, destructiveHint: null, idempotentHint: true },
  },
  { name: 'steps', title: null, description: 'Reports progress', inputSchema: { type: 'object' } },
  { name: 'hold', description: 'Runs until cancelled', inputSchema: { type: 'object' } },
  { name: 'broken', description: 'Always fails', inputSchema: { type: 'object' } },
];

describe('MCP endpoint', () => {
  const executed: { userId: string; tool: string; args: unknown }[] = [];
  const holds = { started: 0, aborted: 0 };
  const executor: ToolExecutor = {
    async execute(identity: Identity, tool, args, { signal, onProgress }) {
      executed.push({ userId: identity.userId, tool, args });
      const executionId = `exec-${executed.length}`;
      if (tool === 'add') {
        const { a, b } = args as { a: unknown; b: unknown };
        if (typeof a !== 'number' || typeof b !== 'number') {
          throw codedError('BAD_USER_INPUT', 'The arguments do not match the input schema.', {
            extensions: { problems: [{ pointer: '/a', message: 'must be number' }] },
          });
        }
        return {
          status: 'succeeded',
          output: { sum: a + b },
          structuredOutput: { sum: a + b },
          executionId,
        };
      }
      if (tool === 'steps') {
        for (let progress = 1; progress <= 2; progress += 1) {
          onProgress?.({ progress, total: 2, message: `step ${progress}` });
        }
        return { status: 'succeeded', output: ['done'], executionId };
      }
      if (tool === 'hold') {
        holds.started += 1;
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        holds.aborted += 1;
        return { status: 'cancelled', executionId };
      }
      if (tool === 'broken')
        return { status: 'failed', error: 'The upstream said no.', executionId };
      throw notFound('Tool', tool, 'name');
    },
  };
  let endpoint: (request: Request) => Promise<Response>;
  let tokenFor: (scopes: string[]) => Promise<string>;
  const clients: Client[] = [];

  beforeAll(async () => {
    const issuer = await createTestIssuer();
    tokenFor = (scopes) => issuer.token('user-1', scopes);
    endpoint = createMcpEndpoint({
      verifier: issuer.verifier,
      catalog: { list: async () => CATALOG },
      executor,
      logger: createLogger('tools', 'silent'),
      maxBodyBytes: MAX_BODY_BYTES,
      serverInfo: { name: 'tools', version: '0.1.0' },
    });
  });
  afterAll(() => Promise.all(clients.map((client) => client.close())));

  /** A connected SDK client; `null` sends no token. */
  async function connect(scopes: string[] | null = ALL_SCOPES) {
    const token = scopes && (await tokenFor(scopes));
    const transport = new StreamableHTTPClientTransport(new URL(URL_OF_ENDPOINT), {
      fetch: (url, init) => endpoint(new Request(url, init)),
      ...(token && { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    });
    const client = new Client({ name: 'test', version: '1.0.0' });
    clients.push(client);
    await client.connect(transport);
    return client;
  }

  const rawCall = (token: string, body: string, signal?: AbortSignal) =>
    endpoint(
      new Request(URL_OF_ENDPOINT, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body,
        ...(signal && { signal }),
      }),
    );

  it('lists the enabled tools with their schemas and annotations', async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['add', 'steps', 'hold', 'broken']);
    expect(tools[0]).toEqual({
      name: 'add',
      title: 'Add',
      description: 'Adds two numbers',
      inputSchema: CATALOG[0]!.inputSchema,
      outputSchema: CATALOG[0]!.outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true },
    });
    expect(tools[1]).not.toHaveProperty('title');
  });

  it('calls a tool: JSON text, structured content and the execution id', async () => {
    const client = await connect();
    await client.listTools(); // the client then checks structuredContent against outputSchema
    const result = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    expect(result).toEqual({
      content: [{ type: 'text', text: '{"sum":5}' }],
      structuredContent: { sum: 5 },
      _meta: { 'supergraph/executionId': expect.stringMatching(/^exec-/) },
    });
    expect(executed.at(-1)).toEqual({ userId: 'user-1', tool: 'add', args: { a: 2, b: 3 } });
  });

  it('answers bad arguments and unknown tools with InvalidParams', async () => {
    const client = await connect();
    const bad = client.callTool({ name: 'add', arguments: { a: 'two', b: 3 } });
    await expect(bad).rejects.toBeInstanceOf(McpError);
    await expect(bad).rejects.toMatchObject({
      code: ErrorCode.InvalidParams,
      message: expect.stringContaining('/a: must be number'),
      data: { problems: [{ pointer: '/a', message: 'must be number' }] },
    });
    const unknown = client.callTool({ name: 'nope', arguments: {} });
    await expect(unknown).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
  });

  it('returns a failed execution as a tool result with isError', async () => {
    const client = await connect();
    const result = await client.callTool({ name: 'broken', arguments: {} });
    expect(result).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'The upstream said no.' }],
    });
  });

  it('forwards progress to a client that asked for it', async () => {
    const client = await connect();
    const progress: unknown[] = [];
    const result = await client.callTool({ name: 'steps', arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p),
    });
    expect(result.content).toEqual([{ type: 'text', text: '["done"]' }]);
    expect(progress).toEqual([
      { progress: 1, total: 2, message: 'step 1' },
      { progress: 2, total: 2, message: 'step 2' },
    ]);
  });

  it('aborts the execution when the caller goes away', async () => {
    const token = await tokenFor(ALL_SCOPES);
    const controller = new AbortController();
    const before = { ...holds };
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'hold', arguments: {} },
    });
    const response = await rawCall(token, body, controller.signal);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    await waitFor(() => holds.started === before.started + 1, 'the execution to start');
    controller.abort();
    await waitFor(() => holds.aborted === before.aborted + 1, 'the execution to see its abort');
  });

  it('aborts the execution on the notifications/cancelled of a client that stays', async () => {
    const client = await connect();
    const controller = new AbortController();
    const before = { ...holds };
    const call = client.callTool({ name: 'hold', arguments: {} }, undefined, {
      signal: controller.signal,
    });
    await waitFor(() => holds.started === before.started + 1, 'the execution to start');
    controller.abort();
    await expect(call).rejects.toThrow(/abort/i);
    await waitFor(() => holds.aborted === before.aborted + 1, 'the execution to see its abort');
  });

  it('refuses a request without a valid token with 401 and WWW-Authenticate', async () => {
    const bare = await endpoint(new Request(URL_OF_ENDPOINT, { method: 'POST', body: '{}' }));
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe('Bearer');
    expect(await bare.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    const forged = await rawCall('not-a-jwt', '{}');
    expect(forged.status).toBe(401);
    await expect(connect(null)).rejects.toMatchObject({ code: 401 });
  });

  it('needs tools:read to list and tools:execute to call', async () => {
    const reader = await connect(['tools:read']);
    await expect(reader.listTools()).resolves.toHaveProperty('tools');
    const call = reader.callTool({ name: 'add', arguments: { a: 1, b: 1 } });
    await expect(call).rejects.toMatchObject({
      code: FORBIDDEN_ERROR_CODE,
      message: expect.stringContaining('tools:execute'),
    });
    const nobody = await connect([]);
    await expect(nobody.listTools()).rejects.toMatchObject({ code: FORBIDDEN_ERROR_CODE });
    // The endpoint is still up for others.
    await expect((await connect()).listTools()).resolves.toHaveProperty('tools');
  });

  it('refuses a body over the limit with 413 and a JSON-RPC error', async () => {
    const client = await connect();
    const huge = 'x'.repeat(MAX_BODY_BYTES);
    const call = client.callTool({ name: 'add', arguments: { a: huge, b: 1 } });
    await expect(call).rejects.toBeInstanceOf(StreamableHTTPError);
    await expect(call).rejects.toMatchObject({ code: 413 });
    const token = await tokenFor(ALL_SCOPES);
    const raw = await rawCall(
      token,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', pad: huge }),
    );
    expect(raw.status).toBe(413);
    expect(await raw.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
  });
});
