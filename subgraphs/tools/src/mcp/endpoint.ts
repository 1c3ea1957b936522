// The tools subgraph's enabled tools served over MCP (Streamable HTTP, stateless): each POST
// gets its own SDK Server and web-standard transport, authorised by the same bearer token as
// GraphQL. Results stream as SSE so that progress notifications reach the caller, and the
// work of a call stops when its caller goes away (the request's signal, or the response
// stream cancelled), since closing the Server aborts its handlers' signals, or when the caller
// cancels it with notifications/cancelled, which comes in a POST of its own (running calls).
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import {
  CallToolRequestSchema,
  CancelledNotificationSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import {
  bearerToken,
  requireScope,
  type Identity,
  type IdentityVerifier,
  type Logger,
} from '@supergraph/kit';
import { GraphQLError } from 'graphql';
import { EXECUTE_SCOPE, READ_SCOPE } from '../inputs.js';
import type { McpProgress, ToolAnnotations } from './client.js';

export interface CatalogTool {
  name: string;
  title?: string | null;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown> | null;
  annotations?: { [K in keyof ToolAnnotations]?: ToolAnnotations[K] | null } | null;
}

export interface ToolCatalog {
  /** The tools enabled for this caller. */
  list(identity: Identity): Promise<CatalogTool[]>;
}

export interface McpCallOutcome {
  status: 'succeeded' | 'failed' | 'timed_out' | 'cancelled';
  output?: unknown;
  /** Set for a tool with an outputSchema: an MCP client that listed the tool requires it. */
  structuredOutput?: unknown;
  error?: string;
  executionId: string;
}

export interface ToolExecutor {
  /** Throws a GraphQLError coded BAD_USER_INPUT (with extensions.problems), NOT_FOUND or
   * FORBIDDEN when the call cannot start. */
  execute(
    identity: Identity,
    toolName: string,
    args: unknown,
    options: { signal: AbortSignal; onProgress?(p: McpProgress): void },
  ): Promise<McpCallOutcome>;
}

export interface McpEndpointOptions {
  verifier: IdentityVerifier;
  catalog: ToolCatalog;
  executor: ToolExecutor;
  logger: Logger;
  maxBodyBytes: number;
  serverInfo: { name: string; version: string };
}

/** JSON-RPC's implementation-defined range (-32000 to -32099): the token lacks a scope. */
export const FORBIDDEN_ERROR_CODE = -32003;
/** JSON-RPC's generic server error, as the SDK's transport answers HTTP-level refusals. */
const SERVER_ERROR_CODE = -32000;
const EXECUTION_ID_META = 'supergraph/executionId';

const OUTCOME_TEXT: Record<Exclude<McpCallOutcome['status'], 'succeeded'>, string> = {
  failed: 'The tool failed.',
  timed_out: 'The tool ran past its timeout and was stopped.',
  cancelled: 'The tool call was cancelled.',
};

function jsonRpcError(status: number, message: string, headers: Record<string, string> = {}) {
  return new Response(
    JSON.stringify({ jsonrpc: '2.0', error: { code: SERVER_ERROR_CODE, message }, id: null }),
    { status, headers: { 'content-type': 'application/json', ...headers } },
  );
}

async function authenticate(request: Request, verifier: IdentityVerifier) {
  try {
    const token = bearerToken(request.headers.get('authorization'));
    if (!token) return 'Send the bearer token as "Authorization: Bearer <token>".';
    return await verifier.verify(token);
  } catch (error) {
    return (error as Error).message;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function withoutNulls<T extends Record<string, unknown>>(value: T) {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}

function mcpTool(tool: CatalogTool): Tool {
  return {
    name: tool.name,
    ...(tool.title && { title: tool.title }),
    description: tool.description,
    // MCP arguments are always an object; clients refuse a list whose schema says otherwise.
    inputSchema: { ...tool.inputSchema, type: 'object' },
    ...(tool.outputSchema?.['type'] === 'object' && {
      outputSchema: tool.outputSchema as Tool['outputSchema'],
    }),
    ...(tool.annotations && { annotations: withoutNulls(tool.annotations) }),
  };
}

/** The executor's refusals as the JSON-RPC errors MCP prescribes. */
function refusal(error: unknown): McpError | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const { code } = error.extensions;
  if (code === 'BAD_USER_INPUT') {
    const problems = (error.extensions['problems'] ?? []) as {
      pointer?: string;
      message: string;
    }[];
    const listed = problems.map((p) => `${p.pointer || '/'}: ${p.message}`).join('; ');
    return new McpError(
      ErrorCode.InvalidParams,
      listed ? `${error.message} (${listed})` : error.message,
      {
        problems,
      },
    );
  }
  // The MCP specification answers an unknown tool with InvalidParams as well.
  if (code === 'NOT_FOUND') return new McpError(ErrorCode.InvalidParams, error.message);
  if (code === 'FORBIDDEN') {
    return new McpError(FORBIDDEN_ERROR_CODE, error.message, error.extensions);
  }
  return undefined;
}

function callResult(outcome: McpCallOutcome): CallToolResult {
  const _meta = { [EXECUTION_ID_META]: outcome.executionId };
  if (outcome.status !== 'succeeded') {
    const text = outcome.error ?? OUTCOME_TEXT[outcome.status];
    return { content: [{ type: 'text', text }], isError: true, _meta };
  }
  return {
    content: [{ type: 'text', text: JSON.stringify(outcome.output ?? null) }],
    ...(isObject(outcome.structuredOutput) && { structuredContent: outcome.structuredOutput }),
    _meta,
  };
}

/**
 * The calls running on this replica, by caller and JSON-RPC request id: a stateless client's
 * notifications/cancelled reaches a Server other than the one running the call. Ids are only
 * unique per client, so a second call under a key already taken is not registered (it cannot
 * be cancelled this way, but neither can it be cancelled by another client of the same user).
 */
class RunningCalls {
  private readonly calls = new Map<string, AbortController>();
  private key = (identity: Identity, requestId: string | number) =>
    `${identity.userId}\n${typeof requestId}:${requestId}`;

  /** A signal that aborts with `signal` or on cancel; `end` unregisters it. */
  start(identity: Identity, requestId: string | number, signal: AbortSignal) {
    const key = this.key(identity, requestId);
    if (this.calls.has(key)) return { signal, end: () => {} };
    const controller = new AbortController();
    this.calls.set(key, controller);
    return {
      signal: AbortSignal.any([signal, controller.signal]),
      end: () => this.calls.delete(key),
    };
  }

  cancel(identity: Identity, requestId: string | number | undefined, reason: unknown) {
    if (requestId === undefined) return;
    this.calls.get(this.key(identity, requestId))?.abort(reason);
  }
}

function mcpServer(identity: Identity, options: McpEndpointOptions, running: RunningCalls) {
  const { catalog, executor, logger, serverInfo } = options;
  const server = new Server(serverInfo, { capabilities: { tools: {} } });
  const scoped = (scope: string) => {
    try {
      requireScope({ identity }, scope);
    } catch (error) {
      throw refusal(error) ?? error;
    }
  };
  // Unexpected failures stay in the logs; the caller learns only that one happened.
  const masked = (error: unknown, what: string) => {
    if (error instanceof McpError) return error;
    const known = refusal(error);
    if (known) return known;
    logger.error({ err: error, userId: identity.userId }, `MCP ${what} failed`);
    return new McpError(ErrorCode.InternalError, `The ${what} failed unexpectedly.`);
  };

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    scoped(READ_SCOPE);
    try {
      return { tools: (await catalog.list(identity)).map(mcpTool) };
    } catch (error) {
      throw masked(error, 'tool listing');
    }
  });

  server.setRequestHandler(CallToolRequestSchema, async ({ params }, extra) => {
    scoped(EXECUTE_SCOPE);
    const progressToken = params._meta?.progressToken;
    const onProgress =
      progressToken === undefined
        ? undefined
        : (p: McpProgress) => {
            extra
              .sendNotification({
                method: 'notifications/progress',
                params: { progressToken, ...p },
              })
              .catch(() => {}); // a caller gone meanwhile: the call is being aborted anyway
          };
    const call = running.start(identity, extra.requestId, extra.signal);
    try {
      const outcome = await executor.execute(identity, params.name, params.arguments ?? {}, {
        signal: call.signal,
        ...(onProgress && { onProgress }),
      });
      return callResult(outcome);
    } catch (error) {
      throw masked(error, 'tool call');
    } finally {
      call.end();
    }
  });

  server.setNotificationHandler(CancelledNotificationSchema, ({ params }) =>
    running.cancel(identity, params.requestId, params.reason),
  );
  return server;
}

/** Passes a response body through, and calls `done` once it ends or its reader gives up. */
function endingWith(response: Response, done: () => void): Response {
  if (!response.body) {
    done();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          controller.close();
          done();
        } else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        done();
      }
    },
    async cancel(reason) {
      done();
      await reader.cancel(reason).catch(() => {});
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

export function createMcpEndpoint(
  options: McpEndpointOptions,
): (request: Request) => Promise<Response> {
  const { verifier, maxBodyBytes } = options;
  const running = new RunningCalls();
  return async (request) => {
    const identity = await authenticate(request, verifier);
    if (typeof identity === 'string') {
      return jsonRpcError(401, identity, { 'WWW-Authenticate': 'Bearer' });
    }
    // Stateless: no session to resume, no stream for server-initiated messages, nothing to end.
    if (request.method !== 'POST') {
      return jsonRpcError(405, 'This MCP endpoint is stateless: POST JSON-RPC messages.', {
        allow: 'POST',
      });
    }
    const server = mcpServer(identity, options, running);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      maxRequestBodySize: maxBodyBytes,
    });
    await server.connect(transport);
    let closed = false;
    // Closing the server aborts the signals of its running handlers.
    const close = () => {
      if (closed) return;
      closed = true;
      request.signal.removeEventListener('abort', close);
      void server.close();
    };
    request.signal.addEventListener('abort', close);
    if (request.signal.aborted) close();
    try {
      return endingWith(await transport.handleRequest(request), close);
    } catch (error) {
      close();
      throw error;
    }
  };
}
