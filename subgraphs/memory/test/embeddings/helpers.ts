// Small helpers shared by the embedder tests.
import { EmbeddingError } from '../../src/embeddings/embedder.js';

/** Dot product; the embedders' vectors are unit length, so this is their cosine. */
export const cosine = (a: number[], b: number[]) =>
  a.reduce((sum, value, i) => sum + value * b[i]!, 0);

/** The EmbeddingError a promise rejects with (the test fails if it resolves or throws anything else). */
export async function rejection(promise: Promise<unknown>): Promise<EmbeddingError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EmbeddingError);
  return error as EmbeddingError;
}

/** Polls a condition driven by the breaker's own timer (no event for it in the public API). */
export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
