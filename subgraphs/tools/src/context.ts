// What the tools subgraph's resolvers receive.
import type { BaseContext, Database } from '@supergraph/kit';
import type DataLoader from 'dataloader';
import type { tables, ToolRow } from './db/schema.js';

export interface ToolsContext extends BaseContext {
  db: Database<typeof tables>;
  maxToolSchemaBytes: number;
  tools: DataLoader<string, ToolRow | null>;
}
