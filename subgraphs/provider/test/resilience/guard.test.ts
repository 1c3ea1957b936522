import {
  CircuitOpenError,
  createProviderGuard,
  type GuardState,
  type ProviderGuardOptions,
} from '../../src/llm/resilience/guard.js';
import { ProviderCallError, type StreamEvent } from '../../src/llm/types.js';

const error = (kind: ProviderCallError['kind'], retryAfterMs?: number) =>
  new ProviderCallError(
    kind,
    `upstream ${kind}`,
    retryAfterMs === undefined ? {} : { retryAfterMs },
  );

const done: StreamEvent = {
  type: 'done',
  usage: { promptTokens: 1, completionTokens: 2 },
  finishReason: 'STOP',
};
const delta = (text: string): StreamEvent => ({ type: 'delta', text });

// Every guard a test makes is shut down after it, so no breaker timer outlives its test.
const guards: { shutdown(): void }[] = [];
afterEach(() => guards.splice(0).forEach((g) => g.shutdown()));

function setup(options: Partial<ProviderGuardOptions> = {}) {
  const sleep = jest.fn(async (_ms: number, _signal?: AbortSignal) => undefined);
  const guard = createProviderGuard({ name: 'acme', sleep, random: () => 0.5, ...options });
  guards.push(guard);
  return { guard, sleep };
}

/** Fails with the given errors in turn, then answers 'ok'. */
function failing(...errors: Error[]) {
  return jest.fn(async (_attempt: number) => {
    const next = errors.shift();
    if (next) throw next;
    return 'ok';
  });
}

async function collect(stream: AsyncIterable<StreamEvent>) {
  const events: StreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
  } catch (err) {
    return { events, err };
  }
  return { events, err: undefined };
}

/** Bounded polling for a state reached on a timer; never asserts on how long it took. */
async function waitFor(predicate: () => boolean, { tries = 200, everyMs = 10 } = {}) {
  for (let i = 0; i < tries && !predicate(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  expect(predicate()).toBe(true);
}

describe('guard.call', () => {
  it('retries retryable errors with full-jitter backoff: 2 × server then success = 3 attempts', async () => {
    const { guard, sleep } = setup();
    const fn = failing(error('server'), error('server'));
    await expect(guard.call(fn)).resolves.toBe('ok');
    expect(fn.mock.calls.map(([attempt]) => attempt)).toEqual([0, 1, 2]);
    // random() = 0.5 of min(capMs, baseMs × 2^attempt)
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([100, 200]);
    expect(guard.state().health).toMatchObject({ calls: 3, consecutiveFailures: 0 });
  });

  it('gives up after maxRetries and rethrows the last error as is', async () => {
    const { guard } = setup({ retry: { maxRetries: 1 } });
    const last = error('timeout');
    const fn = failing(error('network'), last);
    await expect(guard.call(fn)).rejects.toBe(last);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('caps the backoff at capMs', async () => {
    const { guard, sleep } = setup({ retry: { maxRetries: 3, baseMs: 1_000, capMs: 1_500 } });
    await guard.call(failing(error('server'), error('server'), error('server')));
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([500, 750, 750]);
  });

  it.each(['client', 'invalid', 'cancelled'] as const)(
    'never retries %s errors, nor counts them against the provider',
    async (kind) => {
      const { guard, sleep } = setup();
      const fn = failing(error(kind));
      await expect(guard.call(fn)).rejects.toMatchObject({ kind });
      expect(fn).toHaveBeenCalledTimes(1);
      expect(sleep).not.toHaveBeenCalled();
      expect(guard.state().health).toMatchObject({ state: 'UNKNOWN', calls: 0 });
    },
  );

  it('honours Retry-After instead of the backoff', async () => {
    const { guard, sleep } = setup();
    const fn = failing(error('rate-limited', 1_234));
    await expect(guard.call(fn)).resolves.toBe('ok');
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([1_234]);
  });

  it('fails at once on a Retry-After longer than maxRetryAfterMs', async () => {
    const { guard, sleep } = setup({ retry: { maxRetryAfterMs: 10_000 } });
    const fn = failing(error('rate-limited', 10_001));
    await expect(guard.call(fn)).rejects.toMatchObject({ kind: 'rate-limited' });
    expect(fn).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('does not call fn when the signal is already aborted', async () => {
    const { guard } = setup();
    const fn = failing();
    await expect(guard.call(fn, AbortSignal.abort())).rejects.toMatchObject({ kind: 'cancelled' });
    expect(fn).not.toHaveBeenCalled();
  });

  it('fails at once, without counting it, when the local rate limit has no token', async () => {
    const clock = { t: 0 };
    const { guard } = setup({
      rateLimit: { capacity: 1, refillPerSecond: 0.5 },
      now: () => clock.t,
    });
    await guard.call(failing());
    const fn = failing();
    await expect(guard.call(fn)).rejects.toMatchObject({
      kind: 'rate-limited',
      details: { retryAfterMs: 2_000 },
    });
    expect(fn).not.toHaveBeenCalled();
    expect(guard.state().health.calls).toBe(1);
    clock.t += 2_000;
    await expect(guard.call(fn)).resolves.toBe('ok');
  });

  it('counts the calls in flight', async () => {
    const { guard } = setup();
    let release!: () => void;
    const pending = guard.call(() => new Promise<void>((resolve) => (release = resolve)));
    expect(guard.state().inFlight).toBe(1);
    release();
    await pending;
    expect(guard.state().inFlight).toBe(0);
  });
});

describe('guard circuit breaker', () => {
  it('opens after volumeThreshold failures, fails fast, half-opens, then closes on success', async () => {
    const { guard } = setup({
      retry: { maxRetries: 0 },
      breaker: { volumeThreshold: 5, resetTimeoutMs: 100 },
    });
    const changes: GuardState['breaker'][] = [];
    guard.onStateChange((state) => changes.push(state.breaker));

    const down = jest.fn(async () => {
      throw error('server');
    });
    for (let i = 0; i < 4; i += 1)
      await expect(guard.call(down)).rejects.toThrow(ProviderCallError);
    expect(guard.state().breaker).toBe('CLOSED');
    await expect(guard.call(down)).rejects.toThrow(ProviderCallError);
    expect(guard.state().breaker).toBe('OPEN');

    const fn = failing();
    const rejected = guard.call(fn);
    await expect(rejected).rejects.toThrow(CircuitOpenError);
    await expect(rejected).rejects.toMatchObject({ provider: 'acme' });
    expect(fn).not.toHaveBeenCalled();

    await waitFor(() => guard.state().breaker === 'HALF_OPEN');
    await expect(guard.call(fn)).resolves.toBe('ok');
    expect(guard.state().breaker).toBe('CLOSED');
    expect(changes).toEqual(expect.arrayContaining(['OPEN', 'HALF_OPEN', 'CLOSED']));
    expect(changes.indexOf('OPEN')).toBeLessThan(changes.lastIndexOf('CLOSED'));
  });

  it('re-opens when the half-open trial fails', async () => {
    const { guard } = setup({
      retry: { maxRetries: 0 },
      breaker: { volumeThreshold: 1, resetTimeoutMs: 100 },
    });
    await expect(guard.call(failing(error('network')))).rejects.toThrow(ProviderCallError);
    await waitFor(() => guard.state().breaker === 'HALF_OPEN');
    await expect(guard.call(failing(error('network')))).rejects.toThrow(ProviderCallError);
    expect(guard.state().breaker).toBe('OPEN');
  });

  it('stays closed on client errors', async () => {
    const { guard } = setup({ breaker: { volumeThreshold: 2 } });
    for (let i = 0; i < 10; i += 1) {
      await expect(guard.call(failing(error('client')))).rejects.toThrow(ProviderCallError);
    }
    expect(guard.state().breaker).toBe('CLOSED');
  });
});

describe('guard.stream', () => {
  it('retries a stream that fails before its first delta', async () => {
    const { guard, sleep } = setup();
    const fn = jest.fn(async function* (attempt: number) {
      if (attempt === 0) throw error('server');
      yield delta('a');
      yield done;
    });
    const { events, err } = await collect(guard.stream(fn));
    expect(err).toBeUndefined();
    expect(events).toEqual([delta('a'), done]);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(sleep).toHaveBeenCalledTimes(1);
    expect(guard.state().health).toMatchObject({ calls: 2, consecutiveFailures: 0 });
  });

  it('never restarts a stream once a delta went out', async () => {
    const { guard, sleep } = setup();
    const cut = error('stream-cut');
    const fn = jest.fn(async function* () {
      yield delta('a');
      yield delta('b');
      throw cut;
    });
    const { events, err } = await collect(guard.stream(fn));
    expect(events).toEqual([delta('a'), delta('b')]);
    expect(err).toBe(cut);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
    expect(guard.state().health).toMatchObject({ calls: 1, consecutiveFailures: 1 });
    expect(guard.state().inFlight).toBe(0);
  });

  it('treats a stream that ends without `done` as cut', async () => {
    const { guard } = setup({ retry: { maxRetries: 0 } });
    const { events, err } = await collect(
      guard.stream(async function* () {
        yield delta('a');
      }),
    );
    expect(events).toEqual([delta('a')]);
    expect(err).toMatchObject({ kind: 'stream-cut' });
  });

  it('does not count a cancelled stream as a failure', async () => {
    const { guard } = setup({ breaker: { volumeThreshold: 1 } });
    const controller = new AbortController();
    const fn = jest.fn(async function* () {
      yield delta('a');
      controller.abort();
      throw error('cancelled');
    });
    const { err } = await collect(guard.stream(fn, controller.signal));
    expect(err).toMatchObject({ kind: 'cancelled' });
    expect(fn).toHaveBeenCalledTimes(1);
    expect(guard.state()).toMatchObject({ breaker: 'CLOSED', health: { calls: 0 }, inFlight: 0 });
  });

  it('lets the consumer stop early without counting it', async () => {
    const { guard } = setup();
    for await (const event of guard.stream(async function* () {
      yield delta('a');
      yield delta('b');
      yield done;
    })) {
      expect(event).toEqual(delta('a'));
      break;
    }
    expect(guard.state()).toMatchObject({ breaker: 'CLOSED', health: { calls: 0 }, inFlight: 0 });
  });

  it('fails fast without calling fn when the breaker is open', async () => {
    const { guard } = setup({ retry: { maxRetries: 0 }, breaker: { volumeThreshold: 1 } });
    await collect(
      guard.stream(async function* () {
        yield* [];
        throw error('server');
      }),
    );
    expect(guard.state().breaker).toBe('OPEN');
    const fn = jest.fn(async function* () {
      yield done;
    });
    const { err } = await collect(guard.stream(fn));
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect(fn).not.toHaveBeenCalled();
  });
});
