// Wraps every call to one provider: local rate limit, opossum circuit breaker, retries with
// capped exponential backoff and full jitter, and health tracking. Streams are retried only
// until their first delta went out: a half-delivered answer is never silently restarted.

import CircuitBreaker from 'opossum';
import { backoffDelay, wait } from '@supergraph/kit';
import { ProviderCallError, type StreamEvent } from '../types.js';
import { createHealthTracker, type HealthOptions, type HealthSnapshot } from './health.js';
import { TokenBucket } from './token-bucket.js';

export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  constructor(readonly provider: string) {
    super(`The circuit breaker of provider '${provider}' is open`);
  }
}

export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface GuardState {
  breaker: BreakerState;
  health: HealthSnapshot;
  inFlight: number;
}

export interface ProviderGuardOptions {
  name: string;
  breaker?: {
    errorThresholdPercentage?: number;
    volumeThreshold?: number;
    resetTimeoutMs?: number;
  };
  retry?: { maxRetries?: number; baseMs?: number; capMs?: number; maxRetryAfterMs?: number };
  rateLimit?: { capacity: number; refillPerSecond: number };
  health?: HealthOptions;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** For the jitter; [0, 1). */
  random?: () => number;
  now?: () => number;
}

export interface ProviderGuard {
  call<T>(fn: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<T>;
  stream(
    fn: (attempt: number) => AsyncIterable<StreamEvent>,
    signal?: AbortSignal,
  ): AsyncGenerator<StreamEvent, void, undefined>;
  state(): GuardState;
  /** Called on every breaker or health state change; returns the unsubscribe function. */
  onStateChange(listener: (state: GuardState) => void): () => void;
  /** Stops the breaker's timers. */
  shutdown(): void;
}

const cancelled = (cause?: unknown) =>
  new ProviderCallError('cancelled', 'The call was cancelled', { cause });

const defaultSleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
  try {
    await wait(ms, signal);
  } catch (err) {
    throw cancelled(err);
  }
};

/** An error that must not count against the provider, carried through opossum's errorFilter. */
class Uncounted {
  constructor(readonly error: unknown) {}
}

/** Only failures that speak about the provider's health: timeout, server, network, 429, cut. */
const countsAgainstProvider = (err: unknown, signal?: AbortSignal): boolean =>
  !signal?.aborted && err instanceof ProviderCallError && err.retryable;

const isOpenBreaker = (err: unknown): boolean =>
  (err as { code?: unknown } | null)?.code === 'EOPENBREAKER';

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createProviderGuard({
  name,
  breaker: { errorThresholdPercentage = 50, volumeThreshold = 5, resetTimeoutMs = 30_000 } = {},
  retry: { maxRetries = 2, baseMs = 200, capMs = 5_000, maxRetryAfterMs = 30_000 } = {},
  rateLimit,
  health: healthOptions = {},
  sleep = defaultSleep,
  random = Math.random,
  now = healthOptions.now ?? Date.now,
}: ProviderGuardOptions): ProviderGuard {
  const health = createHealthTracker({ now, ...healthOptions });
  const bucket = rateLimit && new TokenBucket({ ...rateLimit, now });
  const listeners = new Set<(state: GuardState) => void>();
  let inFlight = 0;

  // One attempt = one fire; the action only runs the thunk it is given. Timeouts are the
  // adapters' job, so opossum's own is off.
  const breaker = new CircuitBreaker((thunk: () => Promise<unknown>) => thunk(), {
    name,
    timeout: false,
    errorThresholdPercentage,
    volumeThreshold,
    resetTimeout: resetTimeoutMs,
    errorFilter: (err: unknown) => err instanceof Uncounted,
  });

  const breakerState = (): BreakerState =>
    breaker.opened ? 'OPEN' : breaker.halfOpen ? 'HALF_OPEN' : 'CLOSED';
  const state = (): GuardState => ({
    breaker: breakerState(),
    health: health.snapshot(),
    inFlight,
  });
  const notify = () => {
    const current = state();
    for (const listener of listeners) listener(current);
  };
  breaker.on('open', notify).on('halfOpen', notify).on('close', notify);

  /** Before an attempt: cancelled, open breaker and empty bucket all fail at once. */
  const admit = (signal?: AbortSignal) => {
    if (signal?.aborted) throw cancelled(signal.reason);
    if (breaker.opened) throw new CircuitOpenError(name);
    if (bucket && !bucket.tryTake()) {
      throw new ProviderCallError('rate-limited', `Local rate limit of provider '${name}'`, {
        retryAfterMs: bucket.msUntilAvailable(1),
      });
    }
  };

  /** The wait before the next attempt, or undefined when the error must go to the caller. */
  const backoff = (err: unknown, attempt: number, signal?: AbortSignal): number | undefined => {
    if (attempt >= maxRetries || !countsAgainstProvider(err, signal)) return undefined;
    const retryAfterMs = (err as ProviderCallError).details.retryAfterMs;
    if (retryAfterMs !== undefined) {
      return retryAfterMs > maxRetryAfterMs ? undefined : retryAfterMs;
    }
    return backoffDelay(attempt, baseMs, capMs, random);
  };

  /**
   * Runs one attempt through the breaker and records its outcome; `run` rejects with the
   * attempt's own error. A stream's latency is taken to its first event (`timing`): its total
   * duration measures the answer's length more than the provider's health.
   */
  const fire = async <T>(
    run: () => Promise<T>,
    signal?: AbortSignal,
    timing: { firstEventAt?: number } = {},
  ): Promise<T> => {
    const startedAt = now();
    const record = (ok: boolean, err?: unknown) => {
      const before = health.snapshot().state;
      const latencyMs = (timing.firstEventAt ?? now()) - startedAt;
      health.record({ ok, latencyMs, ...(!ok && { error: describe(err) }) });
      if (health.snapshot().state !== before) notify();
    };
    try {
      const result = (await breaker.fire(() =>
        run().catch((err: unknown) => {
          throw countsAgainstProvider(err, signal) ? err : new Uncounted(err);
        }),
      )) as T;
      record(true);
      return result;
    } catch (err) {
      if (err instanceof Uncounted) throw err.error;
      if (isOpenBreaker(err)) throw new CircuitOpenError(name);
      record(false, err);
      throw err;
    }
  };

  async function call<T>(fn: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
    inFlight += 1;
    try {
      for (let attempt = 0; ; attempt += 1) {
        admit(signal);
        try {
          return await fire(() => fn(attempt), signal);
        } catch (err) {
          const waitMs = backoff(err, attempt, signal);
          if (waitMs === undefined) throw err;
          await sleep(waitMs, signal);
        }
      }
    } finally {
      inFlight -= 1;
    }
  }

  async function* stream(
    fn: (attempt: number) => AsyncIterable<StreamEvent>,
    signal?: AbortSignal,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    inFlight += 1;
    try {
      for (let attempt = 0; ; attempt += 1) {
        admit(signal);
        // The breaker sees the whole stream as one call: its promise settles when it ends.
        let settle!: { resolve: () => void; reject: (err: unknown) => void };
        const outcome = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
        let settled = false;
        const finish = (err?: unknown) => {
          if (settled) return;
          settled = true;
          if (err === undefined) settle.resolve();
          else settle.reject(err);
        };
        let admitted = false;
        const timing: { firstEventAt?: number } = {};
        const firing = fire(
          () => {
            admitted = true; // opossum runs the action synchronously unless it rejects the call
            return outcome;
          },
          signal,
          timing,
        );
        firing.catch(() => undefined); // its error is the stream's own, handled below
        if (!admitted) await firing; // a half-open breaker already trying another call
        let deltaSent = false;
        try {
          let done = false;
          for await (const event of fn(attempt)) {
            timing.firstEventAt ??= now();
            if (event.type === 'done') done = true;
            else deltaSent = true;
            yield event;
          }
          if (!done) throw new ProviderCallError('stream-cut', 'The stream ended before `done`');
          finish();
          await firing;
          return;
        } catch (err) {
          finish(err);
          await firing.catch(() => undefined);
          const waitMs = deltaSent ? undefined : backoff(err, attempt, signal);
          if (waitMs === undefined) throw err;
          await sleep(waitMs, signal);
        } finally {
          // The consumer stopped early: neither a success nor a failure of the provider.
          finish(cancelled());
        }
      }
    } finally {
      inFlight -= 1;
    }
  }

  return {
    call,
    stream,
    state,
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    shutdown: () => breaker.shutdown(),
  };
}
