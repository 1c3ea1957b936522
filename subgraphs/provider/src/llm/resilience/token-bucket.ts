// A per-provider token bucket: fails fast (no queueing) so that failover can move on at once.
// Hand-written on purpose: the well-kept candidates do not fit. `limiter` reads its own clock
// (no injectable `now`, so no deterministic tests) and cannot say how long until n tokens are
// back; `bottleneck` and `p-queue` are schedulers that queue work rather than refuse it, and
// bottleneck's reservoir refills in steps, not continuously. The arithmetic is ~20 lines.

export interface TokenBucketOptions {
  /** The most tokens the bucket holds (the burst size); it starts full. */
  capacity: number;
  /** Tokens added per second, continuously. */
  refillPerSecond: number;
  now?: () => number;
}

const MS_PER_SECOND = 1_000;

export class TokenBucket {
  readonly capacity: number;
  readonly refillPerSecond: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor({ capacity, refillPerSecond, now = Date.now }: TokenBucketOptions) {
    if (!(capacity > 0)) throw new RangeError(`capacity must be > 0, got ${capacity}`);
    if (!(refillPerSecond >= 0)) {
      throw new RangeError(`refillPerSecond must be >= 0, got ${refillPerSecond}`);
    }
    this.capacity = capacity;
    this.refillPerSecond = refillPerSecond;
    this.#now = now;
    this.#tokens = capacity;
    this.#updatedAt = now();
  }

  /** Tokens available now (fractional while refilling). */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Takes n tokens if they are all there; otherwise takes none. */
  tryTake(n = 1): boolean {
    this.#refill();
    if (this.#tokens < n) return false;
    this.#tokens -= n;
    return true;
  }

  /** 0 when n tokens are there now; Infinity when they never will be (n > capacity, no refill). */
  msUntilAvailable(n = 1): number {
    this.#refill();
    const missing = n - this.#tokens;
    if (missing <= 0) return 0;
    if (n > this.capacity || this.refillPerSecond === 0) return Infinity;
    return Math.ceil((missing / this.refillPerSecond) * MS_PER_SECOND);
  }

  #refill(): void {
    const at = this.#now();
    const elapsedMs = Math.max(0, at - this.#updatedAt);
    this.#tokens = Math.min(
      this.capacity,
      this.#tokens + (elapsedMs / MS_PER_SECOND) * this.refillPerSecond,
    );
    this.#updatedAt = at;
  }
}
