import {
  createOpenAiEmbedder,
  type OpenAiEmbedder,
  type OpenAiEmbedderOptions,
} from '../../src/embeddings/openai.js';
import { fakeVector, startFakeOpenAi, type FakeOpenAi } from './fake-openai.js';
import { rejection, until } from './helpers.js';

const DIMENSIONS = 16;
const API_KEY = 'sk-test';

function expectSameDirection(actual: number[], raw: number[]) {
  const norm = Math.hypot(...raw);
  expect(actual).toHaveLength(raw.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(raw[i]! / norm, 12));
}

function expectNorm1(vector: number[]) {
  expect(Math.hypot(...vector)).toBeCloseTo(1, 12);
}

describe('OpenAI-compatible embedder', () => {
  let fake: FakeOpenAi;
  let slowFake: FakeOpenAi;
  const embedders: OpenAiEmbedder[] = [];

  /** A client of the fake with fast backoff; closed after each test. */
  function embedder(options: Partial<OpenAiEmbedderOptions> = {}): OpenAiEmbedder {
    const created = createOpenAiEmbedder({
      baseUrl: fake.baseUrl,
      apiKey: API_KEY,
      model: 'text-embedding-3-small',
      dimensions: DIMENSIONS,
      backoffBaseMs: 1,
      backoffCapMs: 5,
      ...options,
    });
    embedders.push(created);
    return created;
  }

  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: API_KEY, dimensions: DIMENSIONS });
    slowFake = await startFakeOpenAi({ dimensions: DIMENSIONS, answerDelayMs: 20 });
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });
  afterEach(async () => {
    await Promise.all(embedders.splice(0).map((e) => e.close()));
  });
  afterAll(async () => {
    await Promise.all([fake.close(), slowFake.close()]);
  });

  it('sends model, input, dimensions and the bearer key; returns normalised vectors in order', async () => {
    const client = embedder();
    const texts = ['first text', 'second text', 'third text'];
    const vectors = await client.embed(texts);
    expect(fake.requests).toEqual([
      {
        authorization: `Bearer ${API_KEY}`,
        body: { model: 'text-embedding-3-small', input: texts, dimensions: DIMENSIONS },
      },
    ]);
    texts.forEach((text, i) => expectSameDirection(vectors[i]!, fakeVector(text, DIMENSIONS)));
    vectors.forEach(expectNorm1);
    expect(client.kind).toBe('openai');
    expect(client.model).toBe('text-embedding-3-small');
    expect(client.stats()).toEqual({ requests: 1, cacheHits: 0, retries: 0, breaker: 'closed' });
  });

  it('sends no key when none is set and can leave dimensions out (Ollama, vLLM)', async () => {
    const client = embedder({
      baseUrl: slowFake.baseUrl,
      apiKey: undefined,
      sendDimensions: false,
    });
    const before = slowFake.requests.length;
    await client.embed(['hello']);
    expect(slowFake.requests[before]).toEqual({
      authorization: undefined,
      body: { model: 'text-embedding-3-small', input: ['hello'] },
    });
  });

  it('splits 150 texts into 3 batches of at most 64 and keeps their order', async () => {
    const client = embedder({ maxBatchSize: 64 });
    const texts = Array.from({ length: 150 }, (_, i) => `text number ${i}`);
    const vectors = await client.embed(texts);
    expect(fake.requests.map((r) => r.body.input!.length).sort()).toEqual([22, 64, 64]);
    expect(vectors).toHaveLength(150);
    texts.forEach((text, i) => expectSameDirection(vectors[i]!, fakeVector(text, DIMENSIONS)));
  });

  it('has at most 4 batches in flight at once', async () => {
    const client = embedder({ baseUrl: slowFake.baseUrl, maxBatchSize: 1 });
    await client.embed(Array.from({ length: 12 }, (_, i) => `concurrent ${i}`));
    expect(slowFake.maxInFlight).toBeLessThanOrEqual(4);
    expect(slowFake.maxInFlight).toBeGreaterThan(1);
  });

  it('answers repeated texts from the cache and sends only the uncached ones', async () => {
    const client = embedder();
    const first = await client.embed(['alpha', 'beta']);
    const again = await client.embed(['alpha', 'beta']);
    expect(fake.requests).toHaveLength(1);
    expect(again).toEqual(first);
    expect(client.stats().cacheHits).toBe(2);

    const mixed = await client.embed(['gamma', 'beta', 'gamma', 'alpha', 'delta']);
    expect(fake.requests[1]!.body.input).toEqual(['gamma', 'delta']);
    expect(mixed[1]).toEqual(first[1]);
    expect(mixed[3]).toEqual(first[0]);
    expect(mixed[2]).toEqual(mixed[0]);
    expectSameDirection(mixed[4]!, fakeVector('delta', DIMENSIONS));
  });

  it('hands out copies, so a caller changing a vector does not change the cache', async () => {
    const client = embedder();
    const [vector] = await client.embed(['mutable']);
    const copy = [...vector!];
    vector!.fill(0);
    expect(await client.embed(['mutable'])).toEqual([copy]);
  });

  it('retries 5xx answers and succeeds', async () => {
    const client = embedder({ maxRetries: 3 });
    fake.script({ status: 500 }, { status: 502 });
    const [vector] = await client.embed(['retried']);
    expectSameDirection(vector!, fakeVector('retried', DIMENSIONS));
    expect(client.stats()).toMatchObject({ requests: 3, retries: 2 });
  });

  it('gives up with EMBEDDING_UNAVAILABLE after maxRetries', async () => {
    const client = embedder({ maxRetries: 2 });
    fake.script({ status: 500 }, { status: 500 }, { status: 500 });
    const error = await rejection(client.embed(['doomed']));
    expect(error.code).toBe('EMBEDDING_UNAVAILABLE');
    expect(error.message).toMatch(/HTTP 500.*3 attempts/);
    expect(client.stats()).toMatchObject({ requests: 3, retries: 2 });
  });

  it('waits for Retry-After on 429, then succeeds', async () => {
    const client = embedder();
    fake.script({ status: 429, message: 'Rate limit reached', retryAfter: '1' });
    await client.embed(['rate limited']);
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1 });
  });

  it('fails at once when Retry-After asks for longer than a request should wait', async () => {
    const client = embedder();
    fake.script({ status: 503, retryAfter: '120' });
    const error = await rejection(client.embed(['overloaded']));
    expect(error.code).toBe('EMBEDDING_UNAVAILABLE');
    expect(error.message).toContain('asked to wait 120 s');
    expect(client.stats()).toMatchObject({ requests: 1, retries: 0 });
  });

  it('does not retry a 400 and reports the server message as EMBEDDING_REJECTED', async () => {
    const client = embedder();
    fake.script({ status: 400, message: "'input' is too long for this model" });
    const error = await rejection(client.embed(['too long']));
    expect(error.code).toBe('EMBEDDING_REJECTED');
    expect(error.message).toContain("'input' is too long for this model");
    expect(client.stats()).toMatchObject({ requests: 1, retries: 0 });
  });

  it('reports a wrong API key as EMBEDDING_REJECTED', async () => {
    const client = embedder({ apiKey: 'sk-wrong' });
    const error = await rejection(client.embed(['secret']));
    expect(error.code).toBe('EMBEDDING_REJECTED');
    expect(error.message).toContain('Incorrect API key');
  });

  it('rejects vectors of the wrong dimension or broken JSON as EMBEDDING_INVALID, no retry', async () => {
    const client = embedder();
    fake.script({ dimensions: DIMENSIONS + 1 });
    const wrongSize = await rejection(client.embed(['wrong size']));
    expect(wrongSize.code).toBe('EMBEDDING_INVALID');
    expect(wrongSize.message).toContain(`must have ${DIMENSIONS} numbers, got ${DIMENSIONS + 1}`);

    fake.script({ body: '{"data": [' }, { body: '{"data": []}' });
    expect((await rejection(client.embed(['bad json']))).code).toBe('EMBEDDING_INVALID');
    const short = await rejection(client.embed(['missing']));
    expect(short.message).toContain('holds 0 vectors for 1 texts');
    expect(client.stats()).toMatchObject({ requests: 3, retries: 0, breaker: 'closed' });
  });

  it('times out a hanging request, retries it, then fails as EMBEDDING_UNAVAILABLE', async () => {
    const client = embedder({ timeoutMs: 50, maxRetries: 1 });
    fake.script({ hang: true }, { hang: true });
    const error = await rejection(client.embed(['slow']));
    expect(error.code).toBe('EMBEDDING_UNAVAILABLE');
    expect(error.message).toContain('did not answer within 50 ms');
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1 });
  });

  it('reports an unreachable service as EMBEDDING_UNAVAILABLE', async () => {
    const closed = await startFakeOpenAi({ dimensions: DIMENSIONS });
    await closed.close();
    const client = embedder({ baseUrl: closed.baseUrl, maxRetries: 1 });
    const error = await rejection(client.embed(['nobody home']));
    expect(error.code).toBe('EMBEDDING_UNAVAILABLE');
    expect(error.message).toContain('could not be reached');
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1 });
  });

  it('opens the breaker after failures, then fails fast without a request, then recovers', async () => {
    const client = embedder({
      maxRetries: 0,
      breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 100 },
    });
    fake.script({ status: 503 }, { status: 503 });
    await rejection(client.embed(['one']));
    await rejection(client.embed(['two']));
    expect(client.stats().breaker).toBe('open');

    const error = await rejection(client.embed(['three']));
    expect(error.code).toBe('EMBEDDING_UNAVAILABLE');
    expect(error.message).toContain('circuit breaker is open');
    expect(fake.requests).toHaveLength(2);

    // After resetTimeoutMs one trial request is let through; its success closes the breaker.
    await until(() => client.stats().breaker === 'half-open');
    await client.embed(['four']);
    expect(client.stats().breaker).toBe('closed');
  });

  it('does not count refusals towards the breaker', async () => {
    const client = embedder({ maxRetries: 0, breaker: { volumeThreshold: 2 } });
    fake.script({ status: 400 }, { status: 422 }, { status: 400 });
    for (const text of ['a', 'b', 'c']) await rejection(client.embed([text]));
    expect(client.stats().breaker).toBe('closed');
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    const client = embedder({ timeoutMs: 5_000 });
    fake.script({ hang: true });
    const controller = new AbortController();
    const pending = client.embed(['abandoned'], controller.signal);
    await fake.received(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(client.stats()).toMatchObject({ requests: 1, retries: 0, breaker: 'closed' });

    await expect(client.embed(['never sent'], AbortSignal.abort())).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('embeds an empty list without a request', async () => {
    const client = embedder();
    expect(await client.embed([])).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });
});
