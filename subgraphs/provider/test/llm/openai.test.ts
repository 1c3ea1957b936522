import { createOpenAiAdapter } from '../../src/llm/adapters/openai.js';
import {
  ProviderCallError,
  type AdapterTimeouts,
  type CompletionRequest,
} from '../../src/llm/types.js';
import { drain } from './collect.js';
import { FAKE_OPENAI_KEY, startFakeOpenAi, type FakeOpenAi } from './fake-openai.js';

const TIMEOUTS: AdapterTimeouts = { connectMs: 5_000, firstTokenMs: 5_000, totalMs: 10_000 };
const SHORT = 200;

let openai: FakeOpenAi;
beforeEach(async () => {
  openai = await startFakeOpenAi();
});
afterEach(() => openai.close());

const adapter = (timeouts: Partial<AdapterTimeouts> = {}, apiKey = FAKE_OPENAI_KEY) =>
  createOpenAiAdapter({ baseUrl: openai.url, apiKey, timeouts: { ...TIMEOUTS, ...timeouts } });

const request = (extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'hello there  world' },
  ],
  maxTokens: 64,
  temperature: 0.2,
  ...extra,
});
// The fake counts ~4 characters a prompt token and one token per word piece.
const PROMPT_TOKENS = Math.ceil('Be brief.hello there  world'.length / 4);

const kindOf = (err: unknown) => (err as ProviderCallError).kind;

describe('OpenAI-compatible adapter', () => {
  it('completes: sends the chat body with the Bearer key and maps the answer', async () => {
    const completion = await adapter().complete(request());
    expect(completion).toEqual({
      text: 'hello there  world',
      usage: { promptTokens: PROMPT_TOKENS, completionTokens: 3 },
      finishReason: 'STOP',
    });
    const [call] = openai.calls;
    expect(call?.path).toBe('/chat/completions');
    expect(call?.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    expect(call?.body).toEqual({
      model: 'gpt-4o-mini',
      messages: request().messages,
      max_tokens: 64,
      temperature: 0.2,
    });
  });

  it('streams the deltas in order, then the usage of the final chunk', async () => {
    const { deltas, done, error } = await drain(adapter().stream(request()));
    expect(error).toBeUndefined();
    expect(deltas).toEqual(['hello ', 'there  ', 'world']);
    expect(deltas.join('')).toBe('hello there  world');
    expect(done).toEqual({
      type: 'done',
      usage: { promptTokens: PROMPT_TOKENS, completionTokens: 3 },
      finishReason: 'STOP',
    });
    expect(openai.calls[0]?.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it.each([
    ['length', 'LENGTH'],
    ['content_filter', 'CONTENT_FILTER'],
    ['tool_calls', 'TOOL_CALLS'],
  ])('maps finish_reason %s to %s, streamed and not', async (wire, mapped) => {
    openai.script({ kind: 'answer', text: 'scripted answer', finishReason: wire });
    openai.script({ kind: 'answer', text: 'scripted answer', finishReason: wire });
    expect(await adapter().complete(request())).toMatchObject({
      text: 'scripted answer',
      finishReason: mapped,
    });
    const { deltas, done } = await drain(adapter().stream(request()));
    expect(deltas.join('')).toBe('scripted answer');
    expect(done?.finishReason).toBe(mapped);
  });

  it('sends no Authorization header without a key (local servers)', async () => {
    await openai.close();
    openai = await startFakeOpenAi({ apiKey: null });
    await adapter({}, '').complete(request());
    expect(openai.calls[0]?.headers.authorization).toBeUndefined();
  });

  it('embeds: one vector per text, in input order', async () => {
    const result = await adapter().embed!('text-embedding-3-small', ['a', 'bcd']);
    expect(result.vectors).toEqual([
      [1, 0, 0.5],
      [3, 1, 0.5],
    ]);
    expect(openai.calls[0]).toMatchObject({
      path: '/embeddings',
      body: { model: 'text-embedding-3-small', input: ['a', 'bcd'] },
    });
  });
});

describe('OpenAI-compatible adapter errors', () => {
  it('500 is a retryable server error', async () => {
    openai.script({ kind: 'error', status: 500 });
    const err = await adapter()
      .complete(request())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderCallError);
    expect(err).toMatchObject({ kind: 'server', retryable: true, details: { status: 500 } });
  });

  it('429 is rate-limited with the Retry-After delay', async () => {
    openai.script({ kind: 'error', status: 429 });
    const { error } = await drain(adapter().stream(request()));
    expect(error).toMatchObject({ kind: 'rate-limited', details: { retryAfterMs: 1000 } });
  });

  it("400 is a client error with the server's message, not retryable", async () => {
    openai.script({ kind: 'error', status: 400, message: "'messages' must not be empty" });
    const err = await adapter()
      .complete(request())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'client', retryable: false, details: { status: 400 } });
    expect((err as Error).message).toContain("'messages' must not be empty");
  });

  it('a wrong key is a client error', async () => {
    const err = await adapter({}, 'sk-wrong')
      .complete(request())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'client', details: { status: 401 } });
    expect((err as Error).message).toContain('Incorrect API key');
  });

  it('a server that never answers is a timeout, and the connection is closed', async () => {
    openai.script({ kind: 'hang' });
    openai.script({ kind: 'hang' });
    const err = await adapter({ firstTokenMs: SHORT })
      .complete(request())
      .catch((e) => e);
    expect(kindOf(err)).toBe('timeout');
    const { error } = await drain(adapter({ connectMs: SHORT }).stream(request()));
    expect(kindOf(error)).toBe('timeout');
    await expect(openai.calls[0]?.outcome).resolves.toBe('closed-by-client');
    await expect(openai.calls[1]?.outcome).resolves.toBe('closed-by-client');
  });

  it('a stream without a first token in time is a timeout', async () => {
    openai.script({ kind: 'answer', stallAfterChunks: 0 });
    const { deltas, error } = await drain(adapter({ firstTokenMs: SHORT }).stream(request()));
    expect(deltas).toEqual([]);
    expect(kindOf(error)).toBe('timeout');
    await expect(openai.calls[0]?.outcome).resolves.toBe('closed-by-client');
  });

  it('a late first token within the budget is fine', async () => {
    openai.script({ kind: 'answer', firstTokenDelayMs: 50 });
    const { deltas, done } = await drain(adapter().stream(request()));
    expect(deltas.join('')).toBe('hello there  world');
    expect(done?.finishReason).toBe('STOP');
  });

  it('a stream that stalls after its first token hits the total timeout', async () => {
    openai.script({ kind: 'answer', stallAfterChunks: 1 });
    const { deltas, error } = await drain(adapter({ totalMs: SHORT }).stream(request()));
    expect(deltas).toEqual(['hello ']);
    expect(kindOf(error)).toBe('timeout');
  });

  it('a cut stream is stream-cut, after the deltas already yielded', async () => {
    openai.script({ kind: 'answer', cutAfterChunks: 2 });
    const { deltas, done, error } = await drain(adapter().stream(request()));
    expect(deltas).toEqual(['hello ', 'there  ']);
    expect(done).toBeUndefined();
    expect(error).toMatchObject({ kind: 'stream-cut', retryable: true });
    await expect(openai.calls[0]?.outcome).resolves.toBe('cut-by-server');
  });

  it("the caller's abort mid-stream is cancelled and closes the connection", async () => {
    openai.script({ kind: 'answer', stallAfterChunks: 1 });
    const controller = new AbortController();
    const stream = adapter().stream(request({ signal: controller.signal }));
    const { deltas, error } = await drain(stream, () => controller.abort());
    expect(deltas).toEqual(['hello ']);
    expect(error).toMatchObject({ kind: 'cancelled', retryable: false });
    await expect(openai.calls[0]?.outcome).resolves.toBe('closed-by-client');
    expect(openai.clientAborts).toBe(1);
  });

  it('an already aborted signal is cancelled', async () => {
    const signal = AbortSignal.abort();
    const err = await adapter()
      .complete(request({ signal }))
      .catch((e: unknown) => e);
    expect(kindOf(err)).toBe('cancelled');
  });

  it('a refused connection is a network error', async () => {
    const { url } = openai;
    await openai.close();
    const dead = createOpenAiAdapter({ baseUrl: url, timeouts: TIMEOUTS });
    const err = await dead.complete(request()).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'network', retryable: true });
    openai = await startFakeOpenAi();
  });

  it('an answer that is not JSON is invalid', async () => {
    const fetchFn = async () => new Response('<html>proxy error</html>', { status: 200 });
    const broken = createOpenAiAdapter({ baseUrl: openai.url, timeouts: TIMEOUTS, fetchFn });
    const err = await broken.complete(request()).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'invalid', retryable: false });
  });
});
