// The retry budget over its sliding window, and which failures are worth another attempt.
import {
  RetryBudget,
  SubgraphConnectionError,
  SubgraphHttpError,
  isRetryableFailure,
} from '../src/retry-policy.js';

const WINDOW_MS = 10_000;

describe('RetryBudget', () => {
  it('allows the floor, then a percentage of the requests in the window', () => {
    const clock = { now: 0 };
    const budget = new RetryBudget(20, 1, WINDOW_MS, () => clock.now);
    expect(budget.tryRetry()).toBe(true); // the floor
    expect(budget.tryRetry()).toBe(false);
    for (let i = 0; i < 10; i += 1) budget.recordRequest();
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
  });

  it('forgets what left the window', () => {
    const clock = { now: 0 };
    const budget = new RetryBudget(0, 1, WINDOW_MS, () => clock.now);
    expect(budget.tryRetry()).toBe(true);
    clock.now = WINDOW_MS / 2;
    expect(budget.tryRetry()).toBe(false);
    clock.now = WINDOW_MS + 1;
    expect(budget.tryRetry()).toBe(true);
  });
});

describe('isRetryableFailure', () => {
  it('takes connection failures and 500/502/503/504, nothing else', () => {
    const refused = new SubgraphConnectionError(new Error('connect ECONNREFUSED'));
    expect(isRetryableFailure(refused)).toBe(true);
    for (const status of [500, 502, 503, 504]) {
      expect(isRetryableFailure(new SubgraphHttpError(status, ''))).toBe(true);
    }
    for (const status of [400, 401, 404, 413, 429, 501]) {
      expect(isRetryableFailure(new SubgraphHttpError(status, ''))).toBe(false);
    }
    expect(isRetryableFailure(new DOMException('timed out', 'TimeoutError'))).toBe(false);
    expect(isRetryableFailure(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(isRetryableFailure(new Error('Expected JSON response body'))).toBe(false);
  });
});
