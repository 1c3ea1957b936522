// createProviderSubgraph: AI providers and their models. Builds; main.ts listens.
import DataLoader from 'dataloader';
import {
  createMetrics,
  openPubSub,
  createSubgraphServer,
  openSubgraphDatabase,
  type SubgraphDeps,
  type SubgraphServer,
} from '@supergraph/kit';
import type { ProviderConfig } from './config.js';
import type { ProviderContext } from './context.js';
import {
  catalogue,
  modelsByIds,
  modelsByProviderIds,
  providersByIds,
  seedOfflineEcho,
} from './db/providers.js';
import { tables } from './db/schema.js';
import {
  COMPLETION_EVENT,
  recordUsage,
  type CompletionEvents,
  type UsageRecord,
} from './db/usage.js';
import { createProviderRegistry } from './llm/registry.js';
import { resolvers } from './resolvers/index.js';
import { createSecretBox, secretKey } from './secrets.js';

/** A function that runs once, and answers every later call with the same promise. */
const once = <T>(run: () => Promise<T>) => {
  let result: Promise<T> | undefined;
  return () => (result ??= run());
};

const here = __dirname;

export async function createProviderSubgraph(
  config: ProviderConfig,
  deps: SubgraphDeps = {},
): Promise<SubgraphServer<ProviderContext>> {
  const database = await openSubgraphDatabase(config, here, tables);
  const { db } = database;
  if (config.seedOfflineEcho) await seedOfflineEcho(db);
  const metrics = createMetrics('provider');
  const breakerGauge = metrics.gauge(
    'provider_breaker_state',
    'Circuit breaker state per AI provider: 0 closed, 1 half-open, 2 open',
    ['provider'],
  );
  const events = openPubSub<CompletionEvents>(config.redisUrl);
  const record = async (usage: UsageRecord) => {
    // The time is set here so that the stored row and the event carry the same one.
    const ended = { ...usage, createdAt: usage.createdAt ?? new Date() };
    await recordUsage(db, ended);
    events.pubsub.publish(COMPLETION_EVENT, usage.userId, ended);
  };
  const secrets = createSecretBox(secretKey(config.secretKey, config.env, config.database.dataDir));
  const registry = createProviderRegistry(config.calls, secrets.open, (provider, value) =>
    breakerGauge.set({ provider }, value),
  );
  let roundRobin = 0;
  const selectionState = { roundRobinCounter: () => roundRobin++, random: Math.random };

  return createSubgraphServer<ProviderContext>({
    config,
    sourceDir: here,
    resolvers,
    verifier: deps.verifier,
    database,
    metrics,
    readiness: { pubsub: events.ping },
    onClose: async () => {
      registry.close();
      await events.close();
    },
    capabilities: [
      'providers',
      'models',
      'completions',
      'streaming',
      'failover',
      'usage',
      'budgets',
    ],
    context: (base) => ({
      ...base,
      db,
      providers: new DataLoader((ids: readonly string[]) => providersByIds(db, ids)),
      models: new DataLoader((ids: readonly string[]) => modelsByIds(db, ids)),
      modelsOf: new DataLoader((ids: readonly string[]) => modelsByProviderIds(db, ids)),
      catalogue: once(() => catalogue(db)),
      registry,
      selectionState,
      record,
      pubsub: events.pubsub,
      sealSecret: secrets.seal,
    }),
  });
}
