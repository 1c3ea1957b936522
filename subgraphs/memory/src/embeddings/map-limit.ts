// Bounded concurrency for the remote embedder's batches, apart so it can be unit-tested
// without a server.

/**
 * Maps items with at most `limit` calls in flight, results in input order. On the first
 * failure no further items start and the failure is thrown once the running calls settle, so
 * nothing is left running behind the caller's back. Hand-written because it is a dozen lines
 * and the current p-limit / p-map majors are ESM-only, which this CommonJS package cannot load
 * under jest.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
