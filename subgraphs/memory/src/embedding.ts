// Embedding for resolvers: the configured embedder, with its failures as registry errors.
import { codedError } from '@supergraph/kit';
import { EmbeddingError } from './embeddings/index.js';
import type { MemoryContext } from './context.js';

export const embedderId = ({ embedder }: Pick<MemoryContext, 'embedder'>) =>
  `${embedder.kind}:${embedder.model}:${embedder.dimensions}`;

/** The model name stored with a vector the client sent. */
export const CLIENT_VECTOR = 'client';

export async function embed(context: MemoryContext, texts: readonly string[]): Promise<number[][]> {
  try {
    return await context.embedder.embed(texts);
  } catch (error) {
    if (error instanceof EmbeddingError) {
      const code =
        error.code === 'EMBEDDING_UNAVAILABLE' ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_ERROR';
      context.logger.warn({ err: error }, 'embedding failed');
      throw codedError(code, `The embedder failed: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
