// createToolsSubgraph: the tool registry. Builds; main.ts listens.
import DataLoader from 'dataloader';
import {
  createSubgraphServer,
  openSubgraphDatabase,
  type SubgraphDeps,
  type SubgraphServer,
} from '@supergraph/kit';
import type { ToolsConfig } from './config.js';
import type { ToolsContext } from './context.js';
import { tables } from './db/schema.js';
import { toolsByIds } from './db/tools.js';
import { resolvers } from './resolvers/index.js';

const here = __dirname;

export async function createToolsSubgraph(
  config: ToolsConfig,
  deps: SubgraphDeps = {},
): Promise<SubgraphServer<ToolsContext>> {
  const database = await openSubgraphDatabase(config, here, tables);
  const { db } = database;

  return createSubgraphServer<ToolsContext>({
    config,
    sourceDir: here,
    resolvers,
    verifier: deps.verifier,
    database,
    capabilities: ['tool-registry'],
    context: (base) => ({
      ...base,
      db,
      maxToolSchemaBytes: config.maxToolSchemaBytes,
      tools: new DataLoader((ids: readonly string[]) => toolsByIds(db, ids)),
    }),
  });
}
