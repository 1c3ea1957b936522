// createUiSubgraph: documents and visualizations, and what users made of them. Builds;
// main.ts listens.
import DataLoader from 'dataloader';
import {
  createSubgraphServer,
  openSubgraphDatabase,
  type SubgraphDeps,
  type SubgraphServer,
} from '@supergraph/kit';
import type { UiConfig } from './config.js';
import type { UiContext } from './context.js';
import { documentsByIds, documentsByOwnerIds } from './db/documents.js';
import { tables } from './db/schema.js';
import { visualizationsByIds, visualizationsByOwnerIds } from './db/visualizations.js';
import { resolvers } from './resolvers/index.js';

const here = __dirname;

export async function createUiSubgraph(
  config: UiConfig,
  deps: SubgraphDeps = {},
): Promise<SubgraphServer<UiContext>> {
  const database = await openSubgraphDatabase(config, here, tables);
  const { db } = database;

  return createSubgraphServer<UiContext>({
    config,
    sourceDir: here,
    resolvers,
    verifier: deps.verifier,
    database,
    capabilities: ['documents', 'visualizations'],
    context: (base) => ({
      ...base,
      db,
      maxDocumentBytes: config.maxDocumentBytes,
      documents: new DataLoader((ids: readonly string[]) => documentsByIds(db, ids)),
      documentsOf: new DataLoader((ids: readonly string[]) => documentsByOwnerIds(db, ids)),
      visualizations: new DataLoader((ids: readonly string[]) => visualizationsByIds(db, ids)),
      visualizationsOf: new DataLoader((ids: readonly string[]) =>
        visualizationsByOwnerIds(db, ids),
      ),
    }),
  });
}
