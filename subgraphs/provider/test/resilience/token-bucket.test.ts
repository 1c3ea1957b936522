import { TokenBucket } from '../../src/llm/resilience/token-bucket.js';

describe('TokenBucket', () => {
  const clock = { t: 0 };
  const now = () => clock.t;
  beforeEach(() => {
    clock.t = 1_000;
  });

  it('starts full, allows a burst of `capacity`, then refuses', () => {
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 1, now });
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true]);
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.msUntilAvailable(1)).toBe(1_000);
  });

  it('refills continuously and never above capacity', () => {
    const bucket = new TokenBucket({ capacity: 4, refillPerSecond: 2, now });
    expect(bucket.tryTake(4)).toBe(true);
    clock.t += 250; // half a token
    expect(bucket.available).toBeCloseTo(0.5);
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.msUntilAvailable(1)).toBe(250);
    clock.t += 250;
    expect(bucket.tryTake()).toBe(true);
    clock.t += 60_000;
    expect(bucket.available).toBe(4);
  });

  it('takes all n tokens or none', () => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 1, now });
    expect(bucket.tryTake(3)).toBe(true);
    expect(bucket.tryTake(3)).toBe(false);
    expect(bucket.available).toBe(2);
    expect(bucket.msUntilAvailable(3)).toBe(1_000);
    expect(bucket.msUntilAvailable(2)).toBe(0);
  });

  it('says Infinity for what it can never give', () => {
    expect(new TokenBucket({ capacity: 2, refillPerSecond: 1, now }).msUntilAvailable(3)).toBe(
      Infinity,
    );
    const noRefill = new TokenBucket({ capacity: 1, refillPerSecond: 0, now });
    noRefill.tryTake();
    expect(noRefill.msUntilAvailable(1)).toBe(Infinity);
  });

  it('rejects nonsensical settings', () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: -1 })).toThrow(RangeError);
  });
});
