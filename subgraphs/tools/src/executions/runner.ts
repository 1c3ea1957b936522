// Runs one execution of a tool of any kind and says how it ended, in the same terms for all
// kinds: the JavaScript sandbox, an HTTP call through the egress allow-list, or a call of a
// remote MCP server. Outputs are bounded where they are made (the sandbox bounds its own) and
// checked against the tool's output schema here, once for every kind.
import type { ExecutionLogValue, ExecutionProgressValue, ToolRow } from '../db/schema.js';
import { callHttpTool, HttpToolError, type EgressPolicy } from '../http/index.js';
import type { McpClients } from '../mcp/client.js';
import { McpToolError } from '../mcp/errors.js';
import type { McpServerRow } from '../db/schema.js';
import { schemaProblems } from '../registry/json-schema.js';
import { SandboxError, type JavaScriptSandbox } from '../sandbox/index.js';

export interface RunLimits {
  memoryBytes: number;
  outputBytes: number;
}

export interface RunContext {
  /** Aborted when the execution is cancelled (or its worker stops). */
  signal: AbortSignal;
  timeoutMs: number;
  onLog(log: ExecutionLogValue): void;
  onProgress(progress: ExecutionProgressValue): void;
}

export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'timed_out' | 'cancelled';
  output?: unknown;
  outputTruncated?: boolean;
  errorCode?: string;
  errorMessage?: string;
  cpuMs?: number;
  memoryBytes?: number;
}

export interface ToolRunnerDeps {
  sandbox: JavaScriptSandbox;
  mcp: McpClients;
  egress: EgressPolicy;
  limits: RunLimits;
  /** The MCP server an MCP tool belongs to. */
  mcpServer(id: string): Promise<McpServerRow | undefined>;
}

export type ToolRunner = (tool: ToolRow, args: unknown, context: RunContext) => Promise<RunOutcome>;

export function createToolRunner(deps: ToolRunnerDeps): ToolRunner {
  return async (tool, args, context) => {
    // The time limit covers the whole run, retries of idempotent HTTP calls included.
    const timeout = AbortSignal.timeout(context.timeoutMs);
    const signal = AbortSignal.any([context.signal, timeout]);
    let outcome: RunOutcome;
    try {
      outcome = await runKind(deps, tool, args, { ...context, signal });
    } catch (error) {
      outcome = failure(error, context.signal, timeout);
    }
    // A cut output is a string of its start: there is nothing left to check against a schema.
    if (outcome.status !== 'succeeded' || outcome.outputTruncated || !tool.outputSchema) {
      return outcome;
    }
    const problems = schemaProblems(
      `${tool.id}:output:${tool.updatedAt.getTime()}`,
      tool.outputSchema,
      outcome.output,
    );
    if (problems.length === 0) return outcome;
    return {
      ...outcome,
      status: 'failed',
      errorCode: 'OUTPUT_INVALID',
      errorMessage: `The output does not match the tool's output schema: ${problems
        .map((problem) => `${problem.pointer || '(the output)'} ${problem.message}`)
        .join('; ')}.`,
    };
  };
}

async function runKind(
  deps: ToolRunnerDeps,
  tool: ToolRow,
  args: unknown,
  context: RunContext,
): Promise<RunOutcome> {
  const { config } = tool;
  switch (tool.kind) {
    case 'javascript': {
      const result = await deps.sandbox.run(
        config.javascript!.code,
        args,
        {
          timeoutMs: context.timeoutMs,
          memoryBytes: deps.limits.memoryBytes,
          outputBytes: deps.limits.outputBytes,
        },
        {
          signal: context.signal,
          onLog: (log) => context.onLog({ ...log, at: log.at.toISOString() }),
          onProgress: (progress) => context.onProgress(progress),
        },
      );
      return {
        status: 'succeeded',
        output: result.output,
        outputTruncated: result.truncated,
        cpuMs: result.cpuMs,
        memoryBytes: result.memoryBytes,
      };
    }
    case 'http': {
      const result = await callHttpTool(config.http!, args, {
        signal: context.signal,
        timeoutMs: context.timeoutMs,
        idempotent: tool.annotations.idempotentHint,
        egress: deps.egress,
        maxResponseBytes: deps.limits.outputBytes,
        onLog: (message) => context.onLog({ level: 'info', message, at: new Date().toISOString() }),
      });
      // The body was read within the bound; its JSON may still grow when written again.
      const bounded = boundOutput(result.output, deps.limits.outputBytes);
      return {
        status: 'succeeded',
        output: bounded.output,
        outputTruncated: result.truncated || bounded.outputTruncated,
      };
    }
    case 'mcp': {
      const server = await deps.mcpServer(config.mcp!.serverId);
      if (!server) {
        return {
          status: 'failed',
          errorCode: 'UPSTREAM_UNAVAILABLE',
          errorMessage: 'The MCP server of this tool is no longer registered.',
        };
      }
      const result = await deps.mcp.callTool(
        { url: server.url, headers: server.headers },
        config.mcp!.remoteName,
        args,
        { signal: context.signal, timeoutMs: context.timeoutMs, onProgress: context.onProgress },
      );
      if (result.isError) {
        return {
          status: 'failed',
          ...boundOutput(result.structuredContent ?? result.content, deps.limits.outputBytes),
          errorCode: 'TOOL_ERROR',
          errorMessage: textOf(result.content) || 'The MCP server reported an error.',
        };
      }
      return {
        status: 'succeeded',
        ...boundOutput(result.structuredContent ?? result.content, deps.limits.outputBytes),
      };
    }
    default:
      return {
        status: 'failed',
        errorCode: 'TOOL_ERROR',
        errorMessage: `A ${tool.kind} tool is run by its caller, not by the platform.`,
      };
  }
}

function failure(error: unknown, cancel: AbortSignal, timeout: AbortSignal): RunOutcome {
  const reason = (error as { reason?: string }).reason;
  const message = (error as Error).message;
  const usage = error instanceof SandboxError ? { cpuMs: error.cpuMs, memoryBytes: undefined } : {};
  // Which signal fired decides, whatever the runner calls its abort.
  if (cancel.aborted) {
    return { status: 'cancelled', errorCode: 'CANCELLED', errorMessage: 'Cancelled.', ...usage };
  }
  if (timeout.aborted || reason === 'timeout') {
    return {
      status: 'timed_out',
      errorCode: 'TIMEOUT',
      errorMessage: 'The tool ran out of time.',
      ...usage,
    };
  }
  if (error instanceof SandboxError) {
    const code = error.reason === 'memory' ? 'MEMORY_LIMIT' : 'TOOL_ERROR';
    return { status: 'failed', errorCode: code, errorMessage: message, ...usage };
  }
  if (error instanceof HttpToolError) {
    const code = error.reason === 'egress-denied' ? 'EGRESS_DENIED' : 'HTTP_ERROR';
    return { status: 'failed', errorCode: code, errorMessage: message };
  }
  if (error instanceof McpToolError) {
    const code = error.reason === 'protocol' ? 'TOOL_ERROR' : 'UPSTREAM_UNAVAILABLE';
    return { status: 'failed', errorCode: code, errorMessage: message };
  }
  throw error;
}

const textOf = (content: unknown[]) =>
  content
    .map((block) => (block as { type?: string; text?: string }).text ?? '')
    .join('\n')
    .slice(0, 2_000);

/** The output, or the start of its JSON as a string when it is larger than the bound. */
export function boundOutput(
  output: unknown,
  maxBytes: number,
): { output: unknown; outputTruncated: boolean } {
  const bytes = Buffer.from(JSON.stringify(output ?? null), 'utf8');
  if (bytes.length <= maxBytes) return { output: output ?? null, outputTruncated: false };
  return { output: bytes.subarray(0, maxBytes).toString('utf8'), outputTruncated: true };
}
