// Query: the tool registry (tools:read), MCP servers (tools:admin) and executions
// (tools:execute; a caller sees its own, tools:admin everyone's).
import { isUuid, requireScope } from '@supergraph/kit';
import { listExecutions } from '../db/executions.js';
import type { ExecutionStatusValue } from '../db/schema.js';
import { findToolByName, listMcpServers, listTools } from '../db/tools.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';
import { maySee } from '../executions/service.js';
import { ADMIN_SCOPE, EXECUTE_SCOPE, pageSize, READ_SCOPE } from '../inputs.js';

export const Query: QueryResolvers = {
  tools(_parent, { first, search, tag, includeDisabled }, context) {
    requireScope(context, READ_SCOPE);
    return listTools(
      context.db,
      {
        ...(search ? { search } : {}),
        ...(tag ? { tag } : {}),
        includeDisabled: includeDisabled ?? false,
      },
      pageSize(first),
    );
  },
  tool(_parent, { id }, context) {
    requireScope(context, READ_SCOPE);
    return context.tools.load(id);
  },
  async toolByName(_parent, { name }, context) {
    requireScope(context, READ_SCOPE);
    return (await findToolByName(context.db, name)) ?? null;
  },
  mcpServers(_parent, _args, context) {
    requireScope(context, ADMIN_SCOPE);
    return listMcpServers(context.db);
  },
  async execution(_parent, { id }, context) {
    const identity = requireScope(context, EXECUTE_SCOPE);
    const row = await context.executionRows.load(id);
    return row && maySee(identity, row) ? row : null;
  },
  executions(_parent, { first, status, toolId, all }, context) {
    const identity = requireScope(context, EXECUTE_SCOPE);
    if (all) requireScope(context, ADMIN_SCOPE);
    if (toolId != null && !isUuid(toolId)) return [];
    return listExecutions(
      context.db,
      {
        ...(all ? {} : { userId: identity.userId }),
        ...(status?.length
          ? { statuses: status.map((value) => value.toLowerCase() as ExecutionStatusValue) }
          : {}),
        ...(toolId != null ? { toolId } : {}),
      },
      pageSize(first),
    );
  },
};
