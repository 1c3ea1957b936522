// Tool and McpServer: entities of the registry. A JavaScript tool's code is for admins only.
import { hasScope, requireScope } from '@supergraph/kit';
import type { McpServerResolvers, ToolResolvers } from '../generated/resolvers-types.js';
import { listTools } from '../db/tools.js';
import { ADMIN_SCOPE, MAX_PAGE, READ_SCOPE } from '../inputs.js';

export const Tool: ToolResolvers = {
  __resolveReference({ id }, context) {
    requireScope(context, READ_SCOPE);
    return context.tools.load(id);
  },
  kind: (tool) => tool.kind.toUpperCase() as 'JAVASCRIPT' | 'HTTP' | 'MCP' | 'CLIENT',
  code: (tool, _args, context) =>
    tool.kind === 'javascript' && context.identity && hasScope(context.identity, ADMIN_SCOPE)
      ? tool.config.javascript!.code
      : null,
  endpoint: async (tool, _args, context) => {
    if (tool.kind === 'http') return tool.config.http!.url;
    if (tool.kind !== 'mcp' || !tool.mcpServerId) return null;
    return (await context.mcpServers.load(tool.mcpServerId))?.url ?? null;
  },
  mcpServer: (tool, _args, context) =>
    tool.mcpServerId ? context.mcpServers.load(tool.mcpServerId) : null,
  timeoutMs: (tool, _args, context) => tool.timeoutMs ?? context.registry.defaultTimeoutMs,
  createdBy: (tool) => (tool.createdBy ? { __typename: 'User', id: tool.createdBy } : null),
};

export const McpServer: McpServerResolvers = {
  breakerState: (server, _args, context) =>
    (context.mcp.breakerState(server.url) ?? 'closed').toUpperCase().replace('-', '_'),
  tools: (server, _args, context) =>
    listTools(context.db, { mcpServerId: server.id, includeDisabled: true }, MAX_PAGE),
};
