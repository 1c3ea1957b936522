// What the memory subgraph needs from an embedder, whatever computes the vectors: the offline
// feature hasher or a remote OpenAI-compatible service.

export interface Embedder {
  /** e.g. 'offline-hash' or 'openai' */
  readonly kind: string;
  /** model name, e.g. 'hash-ngrams-v1' or 'text-embedding-3-small' */
  readonly model: string;
  readonly dimensions: number;
  /** One vector per text, same order. Vectors are L2-normalised floats of length `dimensions`. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
  close?(): Promise<void>;
}

export type EmbeddingErrorCode =
  /** The service could not be reached, failed (5xx, 429), timed out, or its breaker is open. */
  | 'EMBEDDING_UNAVAILABLE'
  /** The service refused the request (4xx other than 429); retrying would not help. */
  | 'EMBEDDING_REJECTED'
  /** The service answered, but not with one finite vector of the right size per text. */
  | 'EMBEDDING_INVALID';

/** Resolvers map the code to a registry error; the message is for logs and operators. */
export class EmbeddingError extends Error {
  override readonly name = 'EmbeddingError';

  constructor(
    readonly code: EmbeddingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
