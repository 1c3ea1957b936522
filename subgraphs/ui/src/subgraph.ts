// createUiSubgraph: collaborative documents (Yjs, collab/) and visualizations, shared by their
// owners. Builds; main.ts listens.
import DataLoader from 'dataloader';
import {
  createSubgraphServer,
  openPubSub,
  openSubgraphDatabase,
  type SubgraphDeps,
  type SubgraphServer,
} from '@supergraph/kit';
import type { UiConfig } from './config.js';
import type { UiContext } from './context.js';
import type { UiEvents } from './collab/events.js';
import { PresenceHub } from './collab/presence.js';
import { DocumentStore } from './collab/store.js';
import { documentsByIds, sharesOf, visualizationsByIds } from './db/access.js';
import { convertLegacyDocuments } from './db/documents.js';
import { tables } from './db/schema.js';
import { versionStates } from './db/updates.js';
import { resolvers } from './resolvers/index.js';

const here = __dirname;

export async function createUiSubgraph(
  config: UiConfig,
  deps: SubgraphDeps = {},
): Promise<SubgraphServer<UiContext>> {
  const database = await openSubgraphDatabase(config, here, tables);
  const { db } = database;
  const events = openPubSub<UiEvents>(config.redisUrl);
  let converted: number;
  try {
    converted = await convertLegacyDocuments(db);
  } catch (error) {
    await database.close();
    await events.close();
    throw error;
  }
  const presence = new PresenceHub(events.pubsub, config.collab.presenceTimeoutMs);
  let logger: SubgraphServer<UiContext>['logger'] | undefined;
  const store = new DocumentStore(
    db,
    events.pubsub,
    { ...config.collab, maxDocumentBytes: config.maxDocumentBytes },
    (error, documentId) => logger?.warn({ err: error, documentId }, 'document snapshot failed'),
  );

  const server = createSubgraphServer<UiContext>({
    config,
    sourceDir: here,
    resolvers,
    verifier: deps.verifier,
    database,
    readiness: { pubsub: events.ping },
    capabilities: ['documents', 'collaboration', 'presence', 'document-history', 'visualizations'],
    context: (base) => {
      const userId = base.identity?.userId ?? '';
      return {
        ...base,
        db,
        maxDocumentBytes: config.maxDocumentBytes,
        collab: config.collab,
        store,
        presence,
        pubsub: events.pubsub,
        documents: new DataLoader((ids: readonly string[]) => documentsByIds(db, userId, ids)),
        documentShares: new DataLoader((ids: readonly string[]) => sharesOf(db, 'DOCUMENT', ids)),
        versionStates: new DataLoader((ids: readonly string[]) => versionStates(db, ids)),
        visualizations: new DataLoader((ids: readonly string[]) =>
          visualizationsByIds(db, userId, ids),
        ),
        visualizationShares: new DataLoader((ids: readonly string[]) =>
          sharesOf(db, 'VISUALIZATION', ids),
        ),
      };
    },
    onClose: async () => {
      clearInterval(snapshotting);
      presence.close();
      store.close();
      await events.close();
    },
  });
  if (converted > 0)
    server.logger.info({ converted }, 'converted plain-text documents into Yjs documents');

  const snapshotting = setInterval(
    () => void store.snapshotDue(),
    Math.min(config.collab.snapshotIntervalMs, 60_000),
  );
  snapshotting.unref();
  return server;
}
