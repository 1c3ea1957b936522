// A provider's health from its recent calls: a rolling window of outcomes and latencies that
// the guard feeds and that model selection, metrics and the `health` field read.

export type HealthState = 'HEALTHY' | 'DEGRADED' | 'UNHEALTHY' | 'UNKNOWN';

export interface HealthSample {
  ok: boolean;
  latencyMs: number;
  /** Why a failed call failed; kept as `lastError`. */
  error?: string;
}

export interface HealthSnapshot {
  state: HealthState;
  /** Successful share of the calls in the window, 0..1 (0 while there were none). */
  successRate: number;
  /** Latency percentiles of the successful calls in the window (undefined while none). */
  p50LatencyMs: number | undefined;
  p95LatencyMs: number | undefined;
  consecutiveFailures: number;
  /** Calls recorded since start (not only those in the window). */
  calls: number;
  /** Successful calls / calls since start × 100 (0 while there were none). */
  uptimePercent: number;
  lastError?: string;
  lastCheckedAt?: Date;
}

export interface HealthOptions {
  windowSize?: number;
  degradedSuccessRate?: number;
  unhealthySuccessRate?: number;
  /** DEGRADED when the window's p95 latency exceeds this. */
  degradedLatencyMs?: number;
  unhealthyAfterConsecutiveFailures?: number;
  now?: () => number;
}

export interface HealthTracker {
  record(sample: HealthSample): void;
  snapshot(): HealthSnapshot;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function createHealthTracker({
  windowSize = 50,
  degradedSuccessRate = 0.9,
  unhealthySuccessRate = 0.5,
  degradedLatencyMs = 5_000,
  unhealthyAfterConsecutiveFailures = 5,
  now = Date.now,
}: HealthOptions = {}): HealthTracker {
  if (!Number.isInteger(windowSize) || windowSize < 1) {
    throw new RangeError(`windowSize must be a positive integer, got ${windowSize}`);
  }
  const window: HealthSample[] = [];
  let calls = 0;
  let successes = 0;
  let consecutiveFailures = 0;
  let lastError: string | undefined;
  let lastCheckedAt: Date | undefined;

  return {
    record(sample) {
      window.push(sample);
      if (window.length > windowSize) window.shift();
      calls += 1;
      if (sample.ok) {
        successes += 1;
        consecutiveFailures = 0;
      } else {
        consecutiveFailures += 1;
        if (sample.error !== undefined) lastError = sample.error;
      }
      lastCheckedAt = new Date(now());
    },

    snapshot() {
      const ok = window.filter((s) => s.ok);
      const latencies = ok.map((s) => s.latencyMs).sort((a, b) => a - b);
      const successRate = window.length === 0 ? 0 : ok.length / window.length;
      const p50LatencyMs = percentile(latencies, 50);
      const p95LatencyMs = percentile(latencies, 95);

      let state: HealthState;
      if (calls === 0) state = 'UNKNOWN';
      else if (
        consecutiveFailures >= unhealthyAfterConsecutiveFailures ||
        successRate < unhealthySuccessRate
      )
        state = 'UNHEALTHY';
      else if (
        successRate < degradedSuccessRate ||
        (p95LatencyMs !== undefined && p95LatencyMs > degradedLatencyMs)
      )
        state = 'DEGRADED';
      else state = 'HEALTHY';

      return {
        state,
        successRate,
        p50LatencyMs,
        p95LatencyMs,
        consecutiveFailures,
        calls,
        uptimePercent: calls === 0 ? 0 : (successes / calls) * 100,
        ...(lastError !== undefined && { lastError }),
        ...(lastCheckedAt !== undefined && { lastCheckedAt: new Date(lastCheckedAt) }),
      };
    },
  };
}
