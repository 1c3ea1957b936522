// What the ui subgraph's resolvers receive.
import type { BaseContext, Database } from '@supergraph/kit';
import type DataLoader from 'dataloader';
import type { DocumentRow, ShareRow, tables, VisualizationRow } from './db/schema.js';
import type { UiConfig } from './config.js';
import type { UiPubSub } from './collab/events.js';
import type { PresenceHub } from './collab/presence.js';
import type { DocumentStore } from './collab/store.js';

export interface UiContext extends BaseContext {
  db: Database<typeof tables>;
  maxDocumentBytes: number;
  collab: UiConfig['collab'];
  store: DocumentStore;
  presence: PresenceHub;
  pubsub: UiPubSub;
  /** The caller's view: documents by id with the caller's role; null where not theirs to see. */
  documents: DataLoader<string, DocumentRow | null>;
  /** Shares of documents, by document id. */
  documentShares: DataLoader<string, ShareRow[]>;
  /** Whole states of document versions, by version id (their text is derived from them). */
  versionStates: DataLoader<string, Uint8Array | null>;
  visualizations: DataLoader<string, VisualizationRow | null>;
  visualizationShares: DataLoader<string, ShareRow[]>;
}
