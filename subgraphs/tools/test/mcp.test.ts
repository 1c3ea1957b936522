// MCP both ways through the real tools subgraph: a remote MCP server (made with the SDK in
// the test) is registered and its tools imported and executed like any other; and the
// subgraph's own /mcp endpoint, reached by the SDK's client over HTTP, lists the enabled
// tools and turns a call into an execution (bad arguments: a protocol error).
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createTestIssuer, errorCodes, graphql } from '@supergraph/kit/testing';
import { z } from 'zod';
import { createToolsSubgraph } from '../src/subgraph.js';
import { objectSchema, testToolsConfig } from './setup.js';

function remoteServer() {
  const mcp = new McpServer({ name: 'weather-remote', version: '1.0.0' });
  mcp.registerTool(
    'Forecast.Today',
    {
      title: 'Forecast',
      description: 'The forecast of a city.',
      inputSchema: { city: z.string() },
      outputSchema: { city: z.string(), celsius: z.number() },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ city }) => ({
      content: [{ type: 'text', text: `${city}: 21` }],
      structuredContent: { city, celsius: 21 },
    }),
  );
  mcp.registerTool('fail', { description: 'Always fails.', inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: 'no luck' }],
    isError: true,
  }));
  return mcp;
}

describe('MCP both ways', () => {
  let subgraph: Awaited<ReturnType<typeof createToolsSubgraph>>;
  let subgraphUrl: string;
  let remote: HttpServer;
  let remoteUrl: string;
  let admin: string;
  const clients: Client[] = [];
  const call = (query: string, variables: Record<string, unknown> = {}) =>
    graphql(subgraph.yoga, { query, variables, token: admin });

  beforeAll(async () => {
    remote = createServer((req, res) => {
      const mcp = remoteServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void mcp.close();
      });
      mcp.connect(transport).then(
        () => transport.handleRequest(req, res),
        () => res.destroy(),
      );
    });
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
    remoteUrl = `http://127.0.0.1:${(remote.address() as AddressInfo).port}/mcp`;
    const issuer = await createTestIssuer();
    subgraph = await createToolsSubgraph(testToolsConfig({ egressAllow: '127.0.0.1' }), {
      verifier: issuer.verifier,
    });
    subgraphUrl = (await subgraph.listen(0)).url;
    admin = await issuer.token(randomUUID(), ['tools:admin', 'tools:read', 'tools:execute']);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await subgraph.close();
    remote.closeAllConnections();
    await new Promise((resolve) => remote.close(resolve));
  });

  it("imports a remote server's tools and executes them there", async () => {
    const registered = await call(
      `mutation($url: String!) { registerMcpServer(input: { name: "weather", url: $url }) {
        name url breakerState syncedAt tools { name title kind inputSchema outputSchema annotations { readOnlyHint openWorldHint } endpoint } } }`,
      { url: remoteUrl },
    );
    expect(registered.errors).toBeUndefined();
    const server = registered.data!.registerMcpServer;
    expect(server).toMatchObject({ name: 'weather', url: remoteUrl, breakerState: 'CLOSED' });
    expect(server.syncedAt).not.toBeNull();
    expect(server.tools.map((tool: { name: string }) => tool.name).sort()).toEqual([
      'weather_fail',
      'weather_forecast-today',
    ]);
    expect(
      server.tools.find((tool: { name: string }) => tool.name === 'weather_forecast-today'),
    ).toMatchObject({
      title: 'Forecast',
      kind: 'MCP',
      endpoint: remoteUrl,
      inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
      annotations: { readOnlyHint: true, openWorldHint: true },
    });
    const run = await call(
      'mutation { executeTool(input: { toolName: "weather_forecast-today", arguments: { city: "Oslo" }, waitMs: 30000 }) { status output error { code } } }',
    );
    expect(run.data!.executeTool).toEqual({
      status: 'SUCCEEDED',
      output: { city: 'Oslo', celsius: 21 },
      error: null,
    });
    const failed = await call(
      'mutation { executeTool(input: { toolName: "weather_fail", arguments: {}, waitMs: 30000 }) { status error { code message } } }',
    );
    expect(failed.data!.executeTool).toEqual({
      status: 'FAILED',
      error: { code: 'TOOL_ERROR', message: 'no luck' },
    });
    // The arguments are checked against the imported schema before the server is called.
    const bad = await call(
      'mutation { executeTool(input: { toolName: "weather_forecast-today", arguments: { city: 3 } }) { id } }',
    );
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a server that cannot be reached or is not allowed, storing nothing', async () => {
    const before = (await call('{ mcpServers { name } }')).data!.mcpServers;
    const dead = await call(
      'mutation { registerMcpServer(input: { name: "dead", url: "http://127.0.0.1:9/mcp" }) { id } }',
    );
    expect(errorCodes(dead)).toEqual(['UPSTREAM_UNAVAILABLE']);
    const elsewhere = await call(
      'mutation { registerMcpServer(input: { name: "elsewhere", url: "https://example.com/mcp" }) { id } }',
    );
    expect(errorCodes(elsewhere)).toEqual(['BAD_USER_INPUT']);
    expect((await call('{ mcpServers { name } }')).data!.mcpServers).toEqual(before);
  });

  it('serves the enabled tools at /mcp to the SDK client, calls becoming executions', async () => {
    await call('mutation($input: RegisterToolInput!) { registerTool(input: $input) { id } }', {
      input: {
        name: 'multiply',
        description: 'Multiplies.',
        inputSchema: objectSchema({ a: { type: 'number' }, b: { type: 'number' } }),
        outputSchema: objectSchema({ product: { type: 'number' } }),
        javascript: 'return { product: args.a * args.b }',
      },
    });
    await call('mutation($input: RegisterToolInput!) { registerTool(input: $input) { id } }', {
      input: {
        name: 'hidden',
        description: 'Disabled.',
        inputSchema: objectSchema(),
        javascript: 'return 1',
        enabled: false,
      },
    });
    const transport = new StreamableHTTPClientTransport(
      new URL(`${subgraphUrl.replace('/graphql', '')}/mcp`),
      {
        requestInit: { headers: { authorization: `Bearer ${admin}` } },
      },
    );
    const client = new Client({ name: 'agent', version: '1.0.0' });
    clients.push(client);
    await client.connect(transport);
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('multiply');
    expect(names).toContain('weather_forecast-today');
    expect(names).not.toContain('hidden');
    const result = await client.callTool({ name: 'multiply', arguments: { a: 6, b: 7 } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ product: 42 });
    // The call is an execution like any other.
    const executions = await call('{ executions(first: 5) { toolName status output } }');
    expect(executions.data!.executions[0]).toEqual({
      toolName: 'multiply',
      status: 'SUCCEEDED',
      output: { product: 42 },
    });
    const refused = client.callTool({ name: 'multiply', arguments: { a: 'six' } });
    await expect(refused).rejects.toBeInstanceOf(McpError);
    await expect(refused).rejects.toMatchObject({ code: -32602 });
  });
});
