// createToolsSubgraph: the tool registry, executions run by this replica's workers (claimed
// from PostgreSQL, shared with every other replica), and the /mcp endpoint. Builds; main.ts
// listens.
import DataLoader from 'dataloader';
import {
  createEdgeVerifier,
  createLogger,
  createMetrics,
  packageVersion,
  createSubgraphServer,
  openPubSub,
  openSubgraphDatabase,
  type SubgraphDeps,
  type SubgraphServer,
} from '@supergraph/kit';
import type { ToolsConfig } from './config.js';
import type { ToolsContext } from './context.js';
import { executionsByIds } from './db/executions.js';
import { tables } from './db/schema.js';
import { mcpServerById, mcpServersByIds, toolsByIds } from './db/tools.js';
import type { ToolsEvents } from './executions/events.js';
import { createToolRunner } from './executions/runner.js';
import { ExecutionService } from './executions/service.js';
import { toolCatalog, toolExecutor } from './executions/tool-executor.js';
import { toolMetrics } from './executions/metrics.js';
import { ExecutionWorkers } from './executions/workers.js';
import { parseEgressAllowList, releaseEgressPolicy } from './http/index.js';
import { lazyMcpClients, lazyMcpEndpoint } from './mcp/lazy.js';
import { resolvers } from './resolvers/index.js';
import { createJavaScriptSandbox } from './sandbox/index.js';

const here = __dirname;
/** How long listing a remote MCP server's tools may take at registration. */
const MCP_LIST_TIMEOUT_MS = 10_000;

export async function createToolsSubgraph(
  config: ToolsConfig,
  deps: SubgraphDeps = {},
): Promise<SubgraphServer<ToolsContext>> {
  const egress = parseEgressAllowList(config.egressAllow);
  const database = await openSubgraphDatabase(config, here, tables);
  const { db } = database;
  const events = openPubSub<ToolsEvents>(config.redisUrl);
  // A thread per worker: a running JavaScript tool never waits for a sandbox, so its time limit
  // counts from its start.
  const sandbox = createJavaScriptSandbox({ workers: config.queue.workers });
  const mcp = lazyMcpClients();
  const executions = new ExecutionService(db, events.pubsub, {
    ...config.queue,
    defaultTimeoutMs: config.toolLimits.timeoutMs,
  });
  const run = createToolRunner({
    sandbox,
    mcp,
    egress,
    limits: config.toolLimits,
    mcpServer: (id) => mcpServerById(db, id),
  });

  const logger = createLogger(config.name, config.logLevel);
  const metrics = createMetrics(config.name, { maxOperations: config.metrics.maxOperations });
  // One verifier for GraphQL and /mcp, so that both follow the same revocations.
  const verifier =
    deps.verifier ?? createEdgeVerifier(config.identity, { logger, redisUrl: config.redisUrl });
  const workers = new ExecutionWorkers(
    db,
    events.pubsub,
    run,
    config.queue,
    logger,
    toolMetrics(metrics),
  );
  const mcpEndpoint = lazyMcpEndpoint({
    verifier,
    catalog: toolCatalog(db),
    executor: toolExecutor(db, executions),
    logger,
    maxBodyBytes: config.maxBodyBytes,
    serverInfo: { name: 'ai-supergraph-tools', version: packageVersion(here) },
  });
  const server = createSubgraphServer<ToolsContext>({
    config,
    sourceDir: here,
    resolvers,
    verifier,
    logger,
    metrics,
    database,
    readiness: { pubsub: events.ping },
    capabilities: ['tool-registry', 'tool-execution', 'mcp-server', 'mcp-client'],
    routes: {
      '/mcp': mcpEndpoint,
    },
    context: (base) => ({
      ...base,
      db,
      registry: {
        maxSchemaBytes: config.maxToolSchemaBytes,
        maxTimeoutMs: config.toolLimits.maxTimeoutMs,
        defaultTimeoutMs: config.toolLimits.timeoutMs,
        egress,
        mcpTimeoutMs: MCP_LIST_TIMEOUT_MS,
      },
      mcp,
      executions,
      tools: new DataLoader((ids: readonly string[]) => toolsByIds(db, ids)),
      mcpServers: new DataLoader((ids: readonly string[]) => mcpServersByIds(db, ids)),
      executionRows: new DataLoader((ids: readonly string[]) => executionsByIds(db, ids)),
    }),
    onClose: async () => {
      await workers.close();
      await sandbox.close();
      await mcp.close();
      await releaseEgressPolicy(egress);
      await events.close();
      if (!deps.verifier) await verifier.close?.();
    },
  });
  workers.start();
  return server;
}
