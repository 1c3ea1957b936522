// When the router tries a subgraph fetch again: only queries, only failures that say the
// subgraph did not get to answer (no connection, 500/502/503/504), within a retry budget per
// subgraph, with the kit's full-jitter backoff, and never past the fetch's deadline. The loop
// that uses it (data-source.ts) sends every attempt through the subgraph's breaker.
// Hand-written: the backoff is the kit's, and neither cockatiel nor p-retry keeps a retry
// budget (Finagle's RetryBudget, Envoy's retry_budget) or fits an attempt into a breaker of
// our own.
import { backoffDelay } from '@supergraph/kit';

export interface RetrySettings {
  /** Retries after the first attempt; 0 turns retrying off. */
  retries: number;
  /** The backoff's base and cap: the n-th retry waits a uniform [0, min(max, base·2^n)). */
  baseMs: number;
  maxMs: number;
  /** Retries may add this percentage to the subgraph's requests in the window ... */
  budgetPercent: number;
  /** ... plus this many retries in the window, so that a quiet subgraph can be retried. */
  budgetMin: number;
}

/** Statuses that say the subgraph (or what is in front of it) failed, not the request. */
const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);
/** Buckets of the sliding window: it forgets a tenth of its past at a time. */
const WINDOW_BUCKETS = 10;

/**
 * The retry budget of one subgraph over a sliding window (Finagle's RetryBudget): every
 * request deposits `percent`% of a retry, every retry withdraws one, and `min` retries are
 * always allowed. During an outage retries then add at most `percent`% to the load, instead
 * of multiplying it by the number of attempts.
 */
export class RetryBudget {
  private readonly buckets = Array.from({ length: WINDOW_BUCKETS }, () => ({
    at: -1,
    requests: 0,
    retries: 0,
  }));

  constructor(
    private readonly percent: number,
    private readonly min: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a first attempt. */
  recordRequest(): void {
    this.current().requests += 1;
  }

  /** Takes a retry from the budget; false when it is used up. */
  tryRetry(): boolean {
    const live = this.live();
    const requests = live.reduce((sum, bucket) => sum + bucket.requests, 0);
    const retries = live.reduce((sum, bucket) => sum + bucket.retries, 0);
    if (retries + 1 > this.min + (requests * this.percent) / 100) return false;
    this.current().retries += 1;
    return true;
  }

  private slot(time: number) {
    return Math.floor(time / (this.windowMs / WINDOW_BUCKETS));
  }

  private current() {
    const slot = this.slot(this.now());
    const bucket = this.buckets[slot % WINDOW_BUCKETS]!;
    if (bucket.at !== slot) Object.assign(bucket, { at: slot, requests: 0, retries: 0 });
    return bucket;
  }

  private live() {
    const oldest = this.slot(this.now()) - WINDOW_BUCKETS + 1;
    return this.buckets.filter((bucket) => bucket.at >= oldest);
  }
}

/** A subgraph's answer with an HTTP error status (kept apart from network failures). */
export class SubgraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    /** From the answer's Retry-After header, if any. */
    readonly retryAfterMs?: number,
  ) {
    super(`subgraph answered HTTP ${status}`);
  }
}

/** A subgraph that could not be reached or whose connection broke before it answered. */
export class SubgraphConnectionError extends Error {
  constructor(cause: unknown) {
    super(`subgraph connection failed: ${(cause as Error)?.message ?? cause}`, { cause });
  }
}

/** A failure worth another attempt: no connection, or a retryable status. Timeouts and aborts
 * are not: the fetch's deadline covers its retries, and an aborted caller wants nothing more. */
export function isRetryableFailure(error: unknown): boolean {
  if (error instanceof SubgraphHttpError) return RETRYABLE_STATUSES.has(error.status);
  return error instanceof SubgraphConnectionError;
}

export interface RetryDecision {
  error: unknown;
  /** Retries already made for this fetch. */
  retriesSoFar: number;
  /** Time left before the fetch's deadline. */
  remainingMs: number;
}

/**
 * How long to wait before the next attempt, or undefined when there is none: the error is
 * not retryable, the retries are used up, the wait would pass the deadline, or the budget is
 * empty (checked last, so that only retries actually made are withdrawn).
 */
export function retryDelay(
  settings: RetrySettings,
  budget: RetryBudget,
  { error, retriesSoFar, remainingMs }: RetryDecision,
  random: () => number = Math.random,
): number | undefined {
  if (retriesSoFar >= settings.retries || !isRetryableFailure(error)) return undefined;
  const delay =
    (error instanceof SubgraphHttpError ? error.retryAfterMs : undefined) ??
    backoffDelay(retriesSoFar, settings.baseMs, settings.maxMs, random);
  if (delay >= remainingMs) return undefined;
  return budget.tryRetry() ? delay : undefined;
}
