import { backoffDelay, retryAfterMs, wait } from '../src/retry.js';

describe('backoffDelay', () => {
  it('draws from [0, min(cap, base * 2^attempt))', () => {
    expect(backoffDelay(0, 200, 5_000, () => 0.999)).toBe(199);
    expect(backoffDelay(3, 200, 5_000, () => 0.5)).toBe(800);
    expect(backoffDelay(10, 200, 5_000, () => 0.999)).toBe(4_995);
    expect(backoffDelay(4, 200, 5_000, () => 0)).toBe(0);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads delay-seconds', () => {
    expect(retryAfterMs('1', now)).toBe(1_000);
    expect(retryAfterMs(' 120 ', now)).toBe(120_000);
  });

  it('reads an HTTP date, never negative', () => {
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-3', now)).toBeUndefined();
  });
});

describe('wait', () => {
  it("rejects with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    const waiting = wait(60_000, controller.signal);
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
  });
});
