// Tools imported from remote MCP servers over Streamable HTTP, through the SDK's Client. Each
// list or call opens its own connection and ends it afterwards: a call's signal then closes the
// HTTP stream the remote works for (a stateless server sees its caller go and stops), besides
// the SDK's notifications/cancelled, and no session can go stale between calls. One opossum
// breaker per server URL stops calls to a server that keeps failing, before any connection.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { wait } from '@supergraph/kit';
import { McpToolError, type McpToolErrorReason } from './errors.js';

export { McpToolError, type McpToolErrorReason } from './errors.js';
import CircuitBreaker from 'opossum';

export interface McpServerConfig {
  url: string;
  headers?: Record<string, string>;
}

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface RemoteTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: ToolAnnotations;
}

export interface RemoteCallResult {
  content: unknown[];
  structuredContent?: unknown;
  isError: boolean;
}

export interface McpProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface McpClients {
  /** The server's tools, all pages of them (at most MAX_REMOTE_TOOLS). */
  listTools(
    server: McpServerConfig,
    options?: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<RemoteTool[]>;
  callTool(
    server: McpServerConfig,
    name: string,
    args: unknown,
    options: { signal?: AbortSignal; timeoutMs: number; onProgress?(p: McpProgress): void },
  ): Promise<RemoteCallResult>;
  breakerState(url: string): 'closed' | 'open' | 'half-open' | undefined;
  /** Ends the connections in use and the breakers' timers. */
  close(): Promise<void>;
}

export interface McpClientsOptions {
  breaker?: { errorThresholdPercentage?: number; resetTimeout?: number; volumeThreshold?: number };
}

/** A server listing more is refused rather than half imported. */
export const MAX_REMOTE_TOOLS = 1_000;
/** Pages of tools/list followed, whatever cursors the server keeps sending. */
export const MAX_LIST_PAGES = 50;
export const DEFAULT_LIST_TIMEOUT_MS = 10_000;
/** How long the DELETE that ends a stateful server's session may take before the connection
 * is closed anyway. */
const SESSION_END_GRACE_MS = 1_000;
const CLIENT_INFO = { name: 'supergraph-tools', version: '0.1.0' };

/** Failures that speak about the server's health; the rest (a refused call, a cancelled one,
 * a protocol error) do not move its breaker. */
const COUNTED: ReadonlySet<McpToolErrorReason> = new Set(['unavailable', 'timeout']);

const HTTP_SERVER_ERROR = 500;

function classify(error: unknown, callerSignal: AbortSignal | undefined, deadline: AbortSignal) {
  if (error instanceof McpToolError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (callerSignal?.aborted)
    return new McpToolError('cancelled', 'The call was cancelled.', { cause: error });
  if (deadline.aborted || (error instanceof McpError && error.code === ErrorCode.RequestTimeout)) {
    return new McpToolError('timeout', `The MCP server did not answer in time: ${message}`, {
      cause: error,
    });
  }
  if (error instanceof StreamableHTTPError) {
    // A 4xx is the server refusing this request (a wrong token, a wrong path): it is up.
    const up = error.code !== undefined && error.code > 0 && error.code < HTTP_SERVER_ERROR;
    return new McpToolError(up ? 'protocol' : 'unavailable', message, { cause: error });
  }
  if (error instanceof McpError && error.code !== ErrorCode.ConnectionClosed) {
    return new McpToolError('protocol', message, { cause: error });
  }
  // fetch failures (refused, reset, DNS) and connections closed under the call.
  return new McpToolError('unavailable', `The MCP server could not be reached: ${message}`, {
    cause: error,
  });
}

function remoteTool(tool: Tool): RemoteTool {
  return {
    name: tool.name,
    ...(tool.title !== undefined && { title: tool.title }),
    ...(tool.description !== undefined && { description: tool.description }),
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema !== undefined && { outputSchema: tool.outputSchema }),
    ...(tool.annotations !== undefined && { annotations: tool.annotations }),
  };
}

type Work<T> = (client: Client, signal: AbortSignal) => Promise<T>;

export function createMcpClients({ breaker: settings = {} }: McpClientsOptions = {}): McpClients {
  const { errorThresholdPercentage = 50, resetTimeout = 30_000, volumeThreshold = 5 } = settings;
  const breakers = new Map<string, CircuitBreaker<[() => Promise<unknown>], unknown>>();
  const open = new Set<Client>();

  const breakerFor = (url: string) => {
    let breaker = breakers.get(url);
    if (!breaker) {
      // Deadlines are the calls' own (their signal), so opossum's timeout is off.
      breaker = new CircuitBreaker((action: () => Promise<unknown>) => action(), {
        name: url,
        timeout: false,
        errorThresholdPercentage,
        resetTimeout,
        volumeThreshold,
        errorFilter: (error: unknown) =>
          !(error instanceof McpToolError && COUNTED.has(error.reason)),
      });
      breakers.set(url, breaker);
    }
    return breaker;
  };

  /** One connection for one piece of work, ended (its session too) whatever the outcome. */
  async function connected<T>(server: McpServerConfig, signal: AbortSignal, work: Work<T>) {
    const transport = new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: server.headers ?? {} },
    });
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    open.add(client);
    try {
      await client.connect(transport, { signal });
      return await work(client, signal);
    } finally {
      if (transport.sessionId !== undefined) {
        await Promise.race([
          transport.terminateSession().catch(() => {}),
          wait(SESSION_END_GRACE_MS),
        ]);
      }
      open.delete(client);
      await client.close();
    }
  }

  async function run<T>(
    server: McpServerConfig,
    { signal: callerSignal, timeoutMs }: { signal?: AbortSignal; timeoutMs: number },
    work: Work<T>,
  ): Promise<T> {
    if (callerSignal?.aborted) throw new McpToolError('cancelled', 'The call was cancelled.');
    const breaker = breakerFor(server.url);
    if (breaker.opened) {
      throw new McpToolError('circuit-open', `The circuit breaker of ${server.url} is open.`);
    }
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
    try {
      return (await breaker.fire(() =>
        connected(server, signal, work).catch((error: unknown) => {
          throw classify(error, callerSignal, deadline);
        }),
      )) as T;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EOPENBREAKER') {
        // Half-open: another call is already probing the server.
        throw new McpToolError('circuit-open', `The circuit breaker of ${server.url} is open.`);
      }
      throw classify(error, callerSignal, deadline);
    }
  }

  return {
    listTools(server, { signal, timeoutMs = DEFAULT_LIST_TIMEOUT_MS } = {}) {
      return run(server, { signal, timeoutMs }, async (client, combined) => {
        const tools: RemoteTool[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
          const result = await client.listTools(cursor === undefined ? {} : { cursor }, {
            signal: combined,
            timeout: timeoutMs,
          });
          tools.push(...result.tools.map(remoteTool));
          if (tools.length > MAX_REMOTE_TOOLS) {
            throw new McpToolError(
              'protocol',
              `The MCP server lists more than ${MAX_REMOTE_TOOLS} tools; at most that many are imported.`,
            );
          }
          cursor = result.nextCursor;
          if (cursor === undefined) return tools;
        }
        throw new McpToolError(
          'protocol',
          `The MCP server's tool list goes on past ${MAX_LIST_PAGES} pages.`,
        );
      });
    },

    callTool(server, name, args, { signal, timeoutMs, onProgress }) {
      return run(server, { signal, timeoutMs }, async (client, combined) => {
        const result = await client.callTool(
          { name, arguments: (args ?? {}) as Record<string, unknown> },
          undefined,
          {
            signal: combined,
            timeout: timeoutMs,
            ...(onProgress && {
              onprogress: ({ progress, total, message }) =>
                onProgress({
                  progress,
                  ...(total !== undefined && { total }),
                  ...(message !== undefined && { message }),
                }),
            }),
          },
        );
        return {
          content: Array.isArray(result.content) ? result.content : [],
          ...(result.structuredContent !== undefined && {
            structuredContent: result.structuredContent,
          }),
          isError: result.isError === true,
        };
      });
    },

    breakerState(url) {
      const breaker = breakers.get(url);
      if (!breaker) return undefined;
      return breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
    },

    async close() {
      await Promise.all([...open].map((client) => client.close()));
      for (const breaker of breakers.values()) breaker.shutdown();
      breakers.clear();
    },
  };
}
