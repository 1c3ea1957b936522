// Mutation: the registry and MCP servers (tools:admin), and executions (tools:execute).
import {
  badInput,
  codedError,
  currentSignal,
  isUuid,
  notFound,
  parseInput,
  requireScope,
} from '@supergraph/kit';
import {
  deleteMcpServer,
  deleteTool,
  findToolByName,
  insertMcpServer,
  insertTool,
  mcpServerById,
  setToolEnabled,
  syncMcpTools,
  toolById,
  updateTool,
} from '../db/tools.js';
import type { McpServerRow } from '../db/schema.js';
import { maySee } from '../executions/service.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';
import { checkEgress } from '../http/index.js';
import type { ToolsContext } from '../context.js';
import {
  ADMIN_SCOPE,
  EXECUTE_SCOPE,
  executeToolInput,
  registerMcpServerInput,
  registerToolInput,
  updateToolInput,
} from '../inputs.js';
import {
  annotationsOf,
  changedRunSettings,
  importedTools,
  listRemoteTools,
  runSettings,
} from '../registry/registry.js';

export const Mutation: MutationResolvers = {
  async registerTool(_parent, { input }, context) {
    const { userId } = requireScope(context, ADMIN_SCOPE);
    const values = parseInput(registerToolInput(context.registry), input);
    const tool = await insertTool(context.db, {
      name: values.name,
      title: values.title ?? null,
      description: values.description,
      inputSchema: values.inputSchema,
      outputSchema: values.outputSchema ?? null,
      annotations: annotationsOf(values.annotations),
      tags: values.tags ?? [],
      version: values.version ?? '1.0.0',
      timeoutMs: values.timeoutMs ?? null,
      enabled: values.enabled ?? true,
      createdBy: userId,
      ...runSettings(values, context.registry.egress),
    });
    if (!tool) {
      throw codedError('CONFLICT', `A tool named ${values.name} already exists.`, {
        extensions: { field: 'input.name' },
      });
    }
    context.logger.info({ toolId: tool.id, name: tool.name, kind: tool.kind }, 'tool registered');
    return tool;
  },

  async updateTool(_parent, { id, input }, context) {
    requireScope(context, ADMIN_SCOPE);
    const values = parseInput(updateToolInput(context.registry), input);
    const tool = await toolById(context.db, id);
    if (!tool) throw notFound('Tool', id);
    if (tool.kind === 'mcp' && (values.inputSchema || values.outputSchema)) {
      throw badInput(
        'The schemas of an imported MCP tool come from its server: change them there and run syncMcpServer.',
        values.inputSchema ? 'input.inputSchema' : 'input.outputSchema',
      );
    }
    // Fields given as null clear optional ones; fields left out stay.
    const given = (name: string) => Object.prototype.hasOwnProperty.call(input, name);
    const changed = await updateTool(context.db, id, {
      ...(given('title') ? { title: values.title ?? null } : {}),
      ...(values.description ? { description: values.description } : {}),
      ...(values.inputSchema ? { inputSchema: values.inputSchema } : {}),
      ...(given('outputSchema') ? { outputSchema: values.outputSchema ?? null } : {}),
      ...(values.annotations
        ? { annotations: annotationsOf(values.annotations, tool.annotations) }
        : {}),
      ...(values.tags ? { tags: values.tags } : {}),
      ...(values.version ? { version: values.version } : {}),
      ...(given('timeoutMs') ? { timeoutMs: values.timeoutMs ?? null } : {}),
      ...(values.enabled != null ? { enabled: values.enabled } : {}),
      ...changedRunSettings(tool, values, context.registry.egress),
    });
    if (!changed) throw notFound('Tool', id);
    return changed;
  },

  async deleteTool(_parent, { id }, context) {
    requireScope(context, ADMIN_SCOPE);
    return deleteTool(context.db, id);
  },

  async setToolEnabled(_parent, { id, enabled }, context) {
    requireScope(context, ADMIN_SCOPE);
    const tool = await setToolEnabled(context.db, id, enabled);
    if (!tool) throw notFound('Tool', id);
    return tool;
  },

  async registerMcpServer(_parent, { input }, context) {
    const { userId } = requireScope(context, ADMIN_SCOPE);
    const values = parseInput(registerMcpServerInput, input);
    let url: URL;
    try {
      url = new URL(values.url);
    } catch {
      throw badInput('input.url must be an absolute http or https URL.', 'input.url');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw badInput('input.url must be an absolute http or https URL.', 'input.url');
    }
    const refused = checkEgress(context.registry.egress, url);
    if (refused) throw badInput(`input.url is not allowed: ${refused}`, 'input.url');
    const headers = values.headers ?? {};
    // The server must answer before it is registered: a typo is an error, not a dead entry.
    const remote = await listRemoteTools(
      context.mcp,
      { name: values.name, url: url.href, headers },
      context.registry.mcpTimeoutMs,
      currentSignal(),
    );
    const server = await insertMcpServer(context.db, {
      name: values.name,
      url: url.href,
      headers,
      createdBy: userId,
    });
    if (!server) {
      throw codedError('CONFLICT', `An MCP server named ${values.name} already exists.`, {
        extensions: { field: 'input.name' },
      });
    }
    return importInto(context, server, remote, userId);
  },

  async syncMcpServer(_parent, { id }, context) {
    const { userId } = requireScope(context, ADMIN_SCOPE);
    const server = await mcpServerById(context.db, id);
    if (!server) throw notFound('McpServer', id);
    const remote = await listRemoteTools(
      context.mcp,
      server,
      context.registry.mcpTimeoutMs,
      currentSignal(),
    );
    return importInto(context, server, remote, userId);
  },

  async deleteMcpServer(_parent, { id }, context) {
    requireScope(context, ADMIN_SCOPE);
    return deleteMcpServer(context.db, id);
  },

  async executeTool(_parent, { input }, context) {
    const identity = requireScope(context, EXECUTE_SCOPE);
    const values = parseInput(executeToolInput, input);
    const tool = values.toolId
      ? await toolById(context.db, values.toolId)
      : await findToolByName(context.db, values.toolName!);
    if (!tool || !tool.enabled) {
      const field = values.toolId ? 'input.toolId' : 'input.toolName';
      throw notFound('Tool', (values.toolId ?? values.toolName)!, field);
    }
    return context.executions.execute(identity, tool, values.arguments ?? null, {
      idempotencyKey: values.idempotencyKey ?? null,
      waitMs: values.waitMs ?? 0,
      signal: currentSignal(),
    });
  },

  async cancelExecution(_parent, { id }, context) {
    const identity = requireScope(context, EXECUTE_SCOPE);
    const row = isUuid(id) ? await context.executionRows.load(id) : null;
    if (!row || !maySee(identity, row)) throw notFound('Execution', id);
    return context.executions.cancel(row);
  },
};

async function importInto(
  context: ToolsContext,
  server: McpServerRow,
  remote: Awaited<ReturnType<typeof listRemoteTools>>,
  userId: string,
) {
  const rows = importedTools(server, remote, userId, context.logger);
  const synced = await syncMcpTools(context.db, server.id, rows);
  if (!synced) throw notFound('McpServer', server.id);
  context.logger.info({ server: server.name, tools: rows.length }, 'MCP server tools imported');
  return synced;
}
