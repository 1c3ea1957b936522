// Chooses the embedder the configuration asks for; the rest of the subgraph only sees Embedder.
import type { Embedder } from './embedder.js';
import { createOfflineEmbedder } from './offline.js';
import { createOpenAiEmbedder } from './openai.js';

export type { Embedder, EmbeddingErrorCode } from './embedder.js';
export { EmbeddingError } from './embedder.js';
export { normalise, vectorProblem } from './vector.js';

export interface EmbedderSettings {
  kind: 'offline' | 'openai';
  dimensions: number;
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  timeoutMs?: number;
}

export function createEmbedder(settings: EmbedderSettings): Embedder {
  const { kind, dimensions, baseUrl, apiKey, model, timeoutMs } = settings;
  if (kind === 'offline') return createOfflineEmbedder({ dimensions });
  if (kind === 'openai') {
    if (!baseUrl || !model) {
      const missing = [baseUrl ? '' : 'EMBEDDING_BASE_URL', model ? '' : 'EMBEDDING_MODEL'];
      throw new Error(`EMBEDDER=openai needs ${missing.filter(Boolean).join(' and ')} to be set`);
    }
    return createOpenAiEmbedder({ baseUrl, apiKey, model, dimensions, timeoutMs });
  }
  throw new Error(`unknown embedder kind '${String(kind)}': use 'offline' or 'openai'`);
}
