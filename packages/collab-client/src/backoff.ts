// Retry timing of the provider: full-jitter exponential backoff, as the kit's services use
// (packages/kit/src/retry.ts), repeated here because the kit is server code (node: imports)
// and this package runs in browsers.

/** A uniform delay in [0, min(cap, base·2^attempt)): spreads many clients' retries best. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
