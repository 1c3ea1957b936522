// The arithmetic of retrying, shared by every service that retries a call (the router's
// subgraph fetches, the memory subgraph's embedder, the provider subgraph's guard): one
// backoff, one reading of Retry-After, one abortable wait.
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
