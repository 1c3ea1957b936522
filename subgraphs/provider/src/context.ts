// What the provider subgraph's resolvers receive.
import type { BaseContext, Database } from '@supergraph/kit';
import type { PubSub } from 'graphql-yoga';
import type { CompletionEvents, UsageRecord } from './db/usage.js';
import type DataLoader from 'dataloader';
import type { ModelRow, ProviderRow, tables } from './db/schema.js';
import type { ProviderRegistry } from './llm/registry.js';

export interface ProviderContext extends BaseContext {
  db: Database<typeof tables>;
  providers: DataLoader<string, ProviderRow | null>;
  models: DataLoader<string, ModelRow | null>;
  /** Models of a provider, by provider id. */
  modelsOf: DataLoader<string, ModelRow[]>;
  /** Every model with its provider, read once per request. */
  catalogue: () => Promise<{ model: ModelRow; provider: ProviderRow }[]>;
  registry: ProviderRegistry;
  /** Records a completion's outcome and publishes it to the user's completionEvents. */
  record: (record: UsageRecord) => Promise<void>;
  pubsub: PubSub<CompletionEvents>;
  /** Seals an API key for storage. */
  sealSecret: (plain: string) => string;
  selectionState: { roundRobinCounter: () => number; random: () => number };
}
