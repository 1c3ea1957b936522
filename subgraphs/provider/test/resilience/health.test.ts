import { createHealthTracker } from '../../src/llm/resilience/health.js';

const ok = (latencyMs = 100) => ({ ok: true, latencyMs });
const fail = (error = 'HTTP 503') => ({ ok: false, latencyMs: 50, error });

describe('createHealthTracker', () => {
  const clock = { t: 1_700_000_000_000 };
  const options = {
    windowSize: 10,
    degradedSuccessRate: 0.9,
    unhealthySuccessRate: 0.5,
    degradedLatencyMs: 1_000,
    unhealthyAfterConsecutiveFailures: 3,
    now: () => clock.t,
  };

  it('is UNKNOWN until the first call', () => {
    const health = createHealthTracker(options);
    expect(health.snapshot()).toEqual({
      state: 'UNKNOWN',
      successRate: 0,
      p50LatencyMs: undefined,
      p95LatencyMs: undefined,
      consecutiveFailures: 0,
      calls: 0,
      uptimePercent: 0,
    });
  });

  it('goes HEALTHY → DEGRADED (rate) → UNHEALTHY (consecutive failures, rate) → back', () => {
    const health = createHealthTracker(options);
    for (let i = 0; i < 10; i += 1) health.record(ok(i * 10 + 10));
    expect(health.snapshot()).toMatchObject({
      state: 'HEALTHY',
      successRate: 1,
      p50LatencyMs: 50,
      p95LatencyMs: 100,
      lastCheckedAt: new Date(clock.t),
    });

    health.record(fail('HTTP 502')); // 9/10
    expect(health.snapshot()).toMatchObject({ state: 'HEALTHY', successRate: 0.9 });
    health.record(fail('HTTP 503')); // 8/10, 2 in a row
    expect(health.snapshot()).toMatchObject({
      state: 'DEGRADED',
      successRate: 0.8,
      consecutiveFailures: 2,
      lastError: 'HTTP 503',
    });
    health.record(fail()); // 3 in a row, though 7/10 is above the unhealthy rate
    expect(health.snapshot()).toMatchObject({ state: 'UNHEALTHY', consecutiveFailures: 3 });

    health.record(ok()); // the streak is broken: 7/10 → DEGRADED again
    expect(health.snapshot()).toMatchObject({ state: 'DEGRADED', consecutiveFailures: 0 });

    // Pairs of failures never make a streak of 3, but bring the rate under 0.5 (3/10).
    for (const sample of [fail(), fail(), ok(), fail(), fail(), ok()]) health.record(sample);
    expect(health.snapshot().consecutiveFailures).toBe(0);
    expect(health.snapshot().successRate).toBeLessThan(0.5);
    expect(health.snapshot().state).toBe('UNHEALTHY');

    for (let i = 0; i < 10; i += 1) health.record(ok());
    expect(health.snapshot()).toMatchObject({ state: 'HEALTHY', successRate: 1 });
    expect(health.snapshot().lastError).toBe('HTTP 503');
  });

  it('is DEGRADED when the p95 latency is above degradedLatencyMs', () => {
    const health = createHealthTracker(options);
    health.record(ok(2_000));
    for (let i = 0; i < 9; i += 1) health.record(ok(100));
    expect(health.snapshot()).toMatchObject({
      state: 'DEGRADED',
      successRate: 1,
      p50LatencyMs: 100,
      p95LatencyMs: 2_000,
    });
    health.record(ok(100)); // the slow call leaves the window
    expect(health.snapshot()).toMatchObject({ state: 'HEALTHY', p95LatencyMs: 100 });
  });

  it('keeps the uptime over all calls since start, not only the window', () => {
    const health = createHealthTracker(options);
    for (let i = 0; i < 10; i += 1) health.record(fail());
    for (let i = 0; i < 30; i += 1) health.record(ok());
    expect(health.snapshot()).toMatchObject({
      state: 'HEALTHY',
      calls: 40,
      successRate: 1,
      uptimePercent: 75,
    });
  });

  it('rejects a window that cannot hold a call', () => {
    expect(() => createHealthTracker({ windowSize: 0 })).toThrow(RangeError);
  });
});
