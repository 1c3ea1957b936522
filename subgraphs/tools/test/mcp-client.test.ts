// The MCP client against a real MCP server made with the SDK (stateless Streamable HTTP on
// loopback): listing, calls, progress, cancellation, timeouts and the per-server breaker.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { waitFor } from '@supergraph/kit/testing';
import { z } from 'zod';
import { createMcpClients, McpToolError, type McpClients } from '../src/mcp/client.js';

interface Seen {
  apiKeys: (string | undefined)[];
  aborted: number;
  connections: number;
}

function remoteServer(seen: Seen) {
  const mcp = new McpServer({ name: 'remote', version: '1.0.0' });
  mcp.registerTool(
    'add',
    {
      title: 'Add',
      description: 'Adds two numbers',
      inputSchema: { a: z.number(), b: z.number() },
      outputSchema: { sum: z.number() },
      annotations: { readOnlyHint: true, idempotentHint: true },
    },
    async ({ a, b }) => ({
      content: [{ type: 'text', text: String(a + b) }],
      structuredContent: { sum: a + b },
    }),
  );
  mcp.registerTool(
    'count',
    {
      description: 'Reports progress up to n; with hold, then waits until cancelled',
      inputSchema: { n: z.number().int(), hold: z.boolean().optional() },
    },
    async ({ n, hold }, extra) => {
      const progressToken = extra._meta?.progressToken;
      for (let progress = 1; progress <= n; progress += 1) {
        if (progressToken !== undefined) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress, total: n, message: `step ${progress}` },
          });
        }
      }
      if (hold) {
        await new Promise<void>((resolve) => {
          if (extra.signal.aborted) resolve();
          extra.signal.addEventListener('abort', () => resolve());
        });
        seen.aborted += 1;
      }
      return { content: [{ type: 'text', text: `counted to ${n}` }] };
    },
  );
  return mcp;
}

async function listen(server: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

describe('McpClients', () => {
  const seen: Seen = { apiKeys: [], aborted: 0, connections: 0 };
  let http: HttpServer;
  let url: string;
  let clients: McpClients;

  beforeAll(async () => {
    // Stateless, as the SDK's examples: a server and a transport per request, closed with it.
    http = createServer((req, res) => {
      seen.apiKeys.push(req.headers['x-api-key'] as string | undefined);
      const mcp = remoteServer(seen);
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
    url = await listen(http);
  });
  beforeEach(() => {
    clients = createMcpClients();
  });
  afterEach(() => clients.close());
  afterAll(() => new Promise((resolve) => http.close(resolve)));

  it('lists the remote tools with their schemas and annotations, sending the headers', async () => {
    const tools = await clients.listTools({ url, headers: { 'x-api-key': 'k-1' } });
    expect(tools.map((tool) => tool.name).sort()).toEqual(['add', 'count']);
    const add = tools.find((tool) => tool.name === 'add')!;
    expect(add).toMatchObject({
      title: 'Add',
      description: 'Adds two numbers',
      inputSchema: { type: 'object', properties: { a: { type: 'number' } }, required: ['a', 'b'] },
      outputSchema: { type: 'object', properties: { sum: { type: 'number' } } },
      annotations: { readOnlyHint: true, idempotentHint: true },
    });
    expect(seen.apiKeys).toContain('k-1');
    expect(seen.apiKeys.filter((key) => key !== 'k-1' && key !== undefined)).toEqual([]);
    expect(clients.breakerState(url)).toBe('closed');
  });

  it('calls a tool and returns its content and structured content', async () => {
    const result = await clients.callTool({ url }, 'add', { a: 2, b: 3 }, { timeoutMs: 20_000 });
    expect(result).toEqual({
      content: [{ type: 'text', text: '5' }],
      structuredContent: { sum: 5 },
      isError: false,
    });
  });

  it('hands on the progress the server reports', async () => {
    const progress: unknown[] = [];
    const result = await clients.callTool(
      { url },
      'count',
      { n: 3 },
      { timeoutMs: 20_000, onProgress: (p) => progress.push(p) },
    );
    expect(result.content).toEqual([{ type: 'text', text: 'counted to 3' }]);
    expect(progress).toEqual(
      [1, 2, 3].map((n) => ({ progress: n, total: 3, message: `step ${n}` })),
    );
  });

  it('stops the remote work when the signal aborts', async () => {
    const controller = new AbortController();
    const before = seen.aborted;
    const call = clients.callTool(
      { url },
      'count',
      { n: 1, hold: true },
      { timeoutMs: 20_000, signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expect(call).rejects.toMatchObject({ reason: 'cancelled' });
    await waitFor(() => seen.aborted === before + 1, 'the remote handler to see its abort');
    expect(clients.breakerState(url)).toBe('closed');
  });

  it('gives up on a call past its timeout', async () => {
    const before = seen.aborted;
    const call = clients.callTool({ url }, 'count', { n: 0, hold: true }, { timeoutMs: 300 });
    await expect(call).rejects.toMatchObject({ reason: 'timeout' });
    await waitFor(() => seen.aborted === before + 1, 'the remote handler to see its abort');
  });

  it('reports a dead server as unavailable, then opens its breaker without connecting', async () => {
    // Accepts connections and drops them at once: a server that is down.
    const dead = createServer();
    dead.on('connection', (socket) => {
      seen.connections += 1;
      socket.destroy();
    });
    const deadUrl = await listen(dead);
    const guarded = createMcpClients({
      breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeout: 600_000 },
    });
    try {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const failed = guarded.callTool({ url: deadUrl }, 'add', {}, { timeoutMs: 20_000 });
        await expect(failed).rejects.toMatchObject({ reason: 'unavailable' });
      }
      expect(guarded.breakerState(deadUrl)).toBe('open');
      const connections = seen.connections;
      const refused = guarded.listTools({ url: deadUrl });
      await expect(refused).rejects.toBeInstanceOf(McpToolError);
      await expect(refused).rejects.toMatchObject({ reason: 'circuit-open' });
      expect(seen.connections).toBe(connections);
      // Another server keeps its own breaker.
      expect(guarded.breakerState(url)).toBeUndefined();
      await expect(guarded.listTools({ url })).resolves.toHaveLength(2);
    } finally {
      await guarded.close();
      await new Promise((resolve) => dead.close(resolve));
    }
  });
});
