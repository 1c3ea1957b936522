// What the tools subgraph's resolvers receive.
import type { BaseContext, Database } from '@supergraph/kit';
import type DataLoader from 'dataloader';
import type { ExecutionRow, McpServerRow, tables, ToolRow } from './db/schema.js';
import type { ExecutionService } from './executions/service.js';
import type { EgressPolicy } from './http/index.js';
import type { RegistryLimits } from './inputs.js';
import type { McpClients } from './mcp/client.js';

export interface ToolsContext extends BaseContext {
  db: Database<typeof tables>;
  registry: RegistryLimits & {
    egress: EgressPolicy;
    mcpTimeoutMs: number;
    defaultTimeoutMs: number;
  };
  mcp: McpClients;
  executions: ExecutionService;
  tools: DataLoader<string, ToolRow | null>;
  mcpServers: DataLoader<string, McpServerRow | null>;
  executionRows: DataLoader<string, ExecutionRow | null>;
}
