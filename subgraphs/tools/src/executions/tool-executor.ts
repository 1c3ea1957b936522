// The registry and executions as the /mcp endpoint sees them: the enabled tools, and a call
// that becomes an execution like any other, followed to its end (progress forwarded, and
// cancelled when the MCP client goes away).
import { notFound, type Database, type Identity } from '@supergraph/kit';
import { findToolByName, listTools } from '../db/tools.js';
import type { tables } from '../db/schema.js';
import type { McpCallOutcome, ToolCatalog, ToolExecutor } from '../mcp/endpoint.js';
import { isTerminal } from '../db/executions.js';
import type { ExecutionService } from './service.js';

/** The most tools /mcp lists. */
const MAX_LISTED = 1_000;

export function toolCatalog(db: Database<typeof tables>): ToolCatalog {
  return {
    list: async () =>
      (await listTools(db, {}, MAX_LISTED)).map((tool) => ({
        name: tool.name,
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: tool.annotations,
      })),
  };
}

export function toolExecutor(
  db: Database<typeof tables>,
  executions: ExecutionService,
): ToolExecutor {
  return {
    async execute(identity: Identity, toolName, args, { signal, onProgress }) {
      const tool = await findToolByName(db, toolName);
      if (!tool || !tool.enabled) throw notFound('Tool', toolName);
      const started = await executions.execute(identity, tool, args ?? {});
      const cancel = () => void executions.cancel(started);
      signal.addEventListener('abort', cancel, { once: true });
      try {
        let row = started;
        for await (const event of executions.stream(started.id)) {
          if (event.kind === 'PROGRESS') onProgress?.(event.progress);
          if (event.execution) row = event.execution;
        }
        const outcome: McpCallOutcome = {
          status: isTerminal(row.status) ? (row.status as McpCallOutcome['status']) : 'failed',
          executionId: row.id,
          output: row.output,
          ...(tool.outputSchema && !row.outputTruncated ? { structuredOutput: row.output } : {}),
          ...(row.errorMessage ? { error: row.errorMessage } : {}),
        };
        return outcome;
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    },
  };
}
