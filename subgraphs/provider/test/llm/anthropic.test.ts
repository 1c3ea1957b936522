import { createAnthropicAdapter, DEFAULT_MAX_TOKENS } from '../../src/llm/adapters/anthropic.js';
import type { AdapterTimeouts, CompletionRequest } from '../../src/llm/types.js';
import { drain } from './collect.js';
import { FAKE_ANTHROPIC_KEY, startFakeAnthropic, type FakeAnthropic } from './fake-anthropic.js';

const TIMEOUTS: AdapterTimeouts = { connectMs: 5_000, firstTokenMs: 5_000, totalMs: 10_000 };

let anthropic: FakeAnthropic;
beforeEach(async () => {
  anthropic = await startFakeAnthropic();
});
afterEach(() => anthropic.close());

const adapter = () =>
  createAnthropicAdapter({
    baseUrl: anthropic.url,
    apiKey: FAKE_ANTHROPIC_KEY,
    timeouts: TIMEOUTS,
  });

const request = (extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  model: 'claude-sonnet-4-5',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'system', content: 'Be kind.' },
    { role: 'user', content: 'hello there world' },
  ],
  ...extra,
});
// The fake counts ~4 characters a prompt token (system included) and one token per word piece.
const PROMPT_TOKENS = Math.ceil('Be brief.\n\nBe kind.hello there world'.length / 4);

describe('Anthropic adapter', () => {
  it('completes: system on top, default max_tokens, the key and version headers', async () => {
    const completion = await adapter().complete(request());
    expect(completion).toEqual({
      text: 'hello there world',
      usage: { promptTokens: PROMPT_TOKENS, completionTokens: 3 },
      finishReason: 'STOP',
    });
    const [call] = anthropic.calls;
    expect(call?.path).toBe('/v1/messages');
    expect(call?.headers).toMatchObject({
      'x-api-key': FAKE_ANTHROPIC_KEY,
      'anthropic-version': '2023-06-01',
    });
    expect(call?.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: DEFAULT_MAX_TOKENS,
      system: 'Be brief.\n\nBe kind.',
      messages: [{ role: 'user', content: 'hello there world' }],
    });
  });

  it('streams the text deltas, then usage from message_start and message_delta', async () => {
    const { deltas, done, error } = await drain(adapter().stream(request({ maxTokens: 20 })));
    expect(error).toBeUndefined();
    expect(deltas).toEqual(['hello ', 'there ', 'world']);
    expect(done).toEqual({
      type: 'done',
      usage: { promptTokens: PROMPT_TOKENS, completionTokens: 3 },
      finishReason: 'STOP',
    });
    expect(anthropic.calls[0]?.body).toMatchObject({ stream: true, max_tokens: 20 });
  });

  it.each([
    ['max_tokens', 'LENGTH'],
    ['tool_use', 'TOOL_CALLS'],
    ['stop_sequence', 'STOP'],
  ])('maps stop_reason %s to %s, streamed and not', async (wire, mapped) => {
    anthropic.script({ kind: 'answer', text: 'scripted', stopReason: wire });
    anthropic.script({ kind: 'answer', text: 'scripted', stopReason: wire });
    expect(await adapter().complete(request())).toMatchObject({
      text: 'scripted',
      finishReason: mapped,
    });
    expect((await drain(adapter().stream(request()))).done?.finishReason).toBe(mapped);
  });

  it('529 overloaded is a retryable server error', async () => {
    anthropic.script({
      kind: 'error',
      status: 529,
      type: 'overloaded_error',
      message: 'Overloaded',
    });
    const { error } = await drain(adapter().stream(request()));
    expect(error).toMatchObject({ kind: 'server', retryable: true, details: { status: 529 } });
  });

  it("400 is a client error with the server's message", async () => {
    anthropic.script({ kind: 'error', status: 400, message: 'messages: roles must alternate' });
    const err = await adapter()
      .complete(request())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'client', retryable: false, details: { status: 400 } });
    expect((err as Error).message).toContain('messages: roles must alternate');
  });

  it('a cut stream is stream-cut, after the deltas already yielded', async () => {
    anthropic.script({ kind: 'answer', cutAfterChunks: 1 });
    const { deltas, done, error } = await drain(adapter().stream(request()));
    expect(deltas).toEqual(['hello ']);
    expect(done).toBeUndefined();
    expect(error).toMatchObject({ kind: 'stream-cut' });
  });
});
