// Small retry and concurrency helpers for the remote embedder, apart so they can be unit-tested
// without a server.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * "Full jitter" backoff (AWS architecture blog): a uniform delay in [0, min(cap, base·2^n)).
 * Randomising the whole interval spreads the retries of many clients best after an outage.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/**
 * Milliseconds to wait according to a Retry-After header (RFC 9110 §10.2.3: delay-seconds or
 * an HTTP date), or undefined when the header is missing or unreadable.
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1_000;
  // A date names its weekday and month; without a letter it is junk like "-3", which
  // Date.parse would happily read as the year -3.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Waits, but gives up as soon as the caller aborts (rejecting with the abort reason). */
export async function wait(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return signal?.throwIfAborted();
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    // timers/promises rejects with its own AbortError; callers expect the signal's reason.
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

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
