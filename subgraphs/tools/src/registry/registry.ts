// What a registration or change of a tool turns into: its kind and run settings, checked
// before anything is stored (JavaScript that parses, an HTTP URL the egress allow-list
// permits), and the import of a remote MCP server's tools into the registry.
import { badInput, codedError, type Logger } from '@supergraph/kit';
import type { McpServerRow, ToolAnnotationsValue, ToolRow, tools } from '../db/schema.js';
import { checkEgress, parseHttpToolConfig, type EgressPolicy } from '../http/index.js';
import { TOOL_NAME } from '../inputs.js';
import type { McpClients, RemoteTool } from '../mcp/client.js';
import { checkJavaScript } from '../sandbox/index.js';
import { schemaProblem } from './json-schema.js';

type ToolValues = Partial<typeof tools.$inferInsert>;

export interface AnnotationsInput {
  readOnlyHint?: boolean | null;
  destructiveHint?: boolean | null;
  idempotentHint?: boolean | null;
  openWorldHint?: boolean | null;
}

export const annotationsOf = (
  input: AnnotationsInput | null | undefined,
  base?: ToolAnnotationsValue,
): ToolAnnotationsValue => ({
  readOnlyHint: input?.readOnlyHint ?? base?.readOnlyHint ?? false,
  destructiveHint: input?.destructiveHint ?? base?.destructiveHint ?? false,
  idempotentHint: input?.idempotentHint ?? base?.idempotentHint ?? false,
  openWorldHint: input?.openWorldHint ?? base?.openWorldHint ?? false,
});

export interface RunInput {
  javascript?: string | null;
  http?: { url: string; method?: string | null; headers?: Record<string, string> | null } | null;
}

/** The kind and run settings of a registration; CLIENT when it names neither. */
export function runSettings(input: RunInput, egress: EgressPolicy): ToolValues {
  if (input.javascript) {
    const problem = checkJavaScript(input.javascript);
    if (problem) throw badInput(`input.javascript does not parse: ${problem}`, 'input.javascript');
    return { kind: 'javascript', config: { javascript: { code: input.javascript } } };
  }
  if (input.http) {
    const http = parseHttpToolConfig(
      {
        url: input.http.url,
        method: input.http.method ?? 'POST',
        ...(input.http.headers ? { headers: input.http.headers } : {}),
      },
      'input.http',
    );
    const refused = checkEgress(egress, new URL(http.url));
    if (refused) throw badInput(`input.http.url is not allowed: ${refused}`, 'input.http.url');
    return { kind: 'http', config: { http } };
  }
  return { kind: 'client', config: {} };
}

/** Run settings of a change: only a change of the kind's own settings is allowed. */
export function changedRunSettings(tool: ToolRow, input: RunInput, egress: EgressPolicy) {
  if (!input.javascript && !input.http) return {};
  const wanted = input.javascript ? 'javascript' : 'http';
  if (tool.kind !== wanted) {
    throw badInput(
      `input.${wanted} does not apply: ${tool.name} is a ${tool.kind.toUpperCase()} tool.`,
      `input.${wanted}`,
    );
  }
  return runSettings(input, egress);
}

const MAX_NAME = 64;

/** The registry's name of a remote tool: <server>_<name>, lowercased, other characters as -. */
export function importedName(server: string, remote: string): string | undefined {
  const name = `${server}_${remote.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}`;
  return name.length <= MAX_NAME && TOOL_NAME.test(name) ? name : undefined;
}

/** The rows of a server's tools as the registry keeps them; unusable ones are skipped. */
export function importedTools(
  server: McpServerRow,
  remote: RemoteTool[],
  createdBy: string,
  logger: Logger,
): (typeof tools.$inferInsert)[] {
  const rows: (typeof tools.$inferInsert)[] = [];
  for (const tool of remote) {
    const name = importedName(server.name, tool.name);
    const problem =
      name === undefined
        ? 'its name does not fit the registry'
        : (schemaProblem(tool.inputSchema) ??
          (tool.outputSchema ? schemaProblem(tool.outputSchema) : undefined));
    if (problem || name === undefined) {
      logger.warn({ server: server.name, tool: tool.name, problem }, 'MCP tool not imported');
      continue;
    }
    rows.push({
      name,
      title: tool.title ?? tool.annotations?.title ?? null,
      description: (tool.description ?? tool.name).slice(0, 2_000) || tool.name,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema ?? null,
      annotations: annotationsOf(tool.annotations),
      kind: 'mcp',
      config: { mcp: { serverId: server.id, remoteName: tool.name } },
      mcpServerId: server.id,
      createdBy,
    });
  }
  return rows;
}

/** The remote server's tools, or UPSTREAM_UNAVAILABLE saying why they could not be listed. */
export async function listRemoteTools(
  mcp: McpClients,
  server: Pick<McpServerRow, 'url' | 'headers' | 'name'>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<RemoteTool[]> {
  try {
    return await mcp.listTools(
      { url: server.url, headers: server.headers },
      { timeoutMs, ...(signal ? { signal } : {}) },
    );
  } catch (error) {
    throw codedError(
      'UPSTREAM_UNAVAILABLE',
      `The MCP server ${server.name} could not list its tools: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
