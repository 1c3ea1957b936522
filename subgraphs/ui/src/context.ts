// What the ui subgraph's resolvers receive.
import type { BaseContext, Database } from '@supergraph/kit';
import type DataLoader from 'dataloader';
import type { DocumentRow, tables, VisualizationRow } from './db/schema.js';

export interface UiContext extends BaseContext {
  db: Database<typeof tables>;
  maxDocumentBytes: number;
  documents: DataLoader<string, DocumentRow | null>;
  /** Documents of a user, by owner id, newest first. */
  documentsOf: DataLoader<string, DocumentRow[]>;
  visualizations: DataLoader<string, VisualizationRow | null>;
  /** Visualizations of a user, by owner id, newest first. */
  visualizationsOf: DataLoader<string, VisualizationRow[]>;
}
