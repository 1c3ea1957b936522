import { createAdapter } from '../../src/llm/adapters/index.js';
import { createOfflineEchoAdapter } from '../../src/llm/adapters/offline-echo.js';
import { createOpenAiAdapter } from '../../src/llm/adapters/openai.js';
import type { CompletionRequest } from '../../src/llm/types.js';
import { drain } from './collect.js';

const PROMPT = '  Echo me,\tplease now ';
const request = (extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  model: 'echo',
  messages: [
    { role: 'user', content: 'an older question' },
    { role: 'assistant', content: 'an answer' },
    { role: 'user', content: PROMPT },
  ],
  ...extra,
});
const promptChars = 'an older question'.length + 'an answer'.length + PROMPT.length;

describe('offline echo adapter', () => {
  it('streams the last user message back token by token, spaces kept', async () => {
    const { deltas, done, error } = await drain(createOfflineEchoAdapter().stream(request()));
    expect(error).toBeUndefined();
    expect(deltas).toEqual(['  ', 'Echo ', 'me,\t', 'please ', 'now ']);
    expect(deltas.join('')).toBe(PROMPT);
    expect(done).toEqual({
      type: 'done',
      usage: {
        promptTokens: Math.ceil(promptChars / 4),
        completionTokens: Math.ceil(PROMPT.length / 4),
      },
      finishReason: 'STOP',
    });
  });

  it('completes with the same text and usage', async () => {
    const completion = await createOfflineEchoAdapter().complete(request());
    expect(completion.text).toBe(PROMPT);
    expect(completion.finishReason).toBe('STOP');
    expect(completion.usage.completionTokens).toBe(Math.ceil(PROMPT.length / 4));
  });

  it('stops streaming when the signal aborts and throws cancelled', async () => {
    const controller = new AbortController();
    const echo = createOfflineEchoAdapter({ delayMs: 5 });
    const stream = echo.stream(request({ signal: controller.signal }));
    const { deltas, done, error } = await drain(stream, () => controller.abort());
    expect(deltas).toEqual(['  ']);
    expect(done).toBeUndefined();
    expect(error).toMatchObject({ kind: 'cancelled' });
  });

  it('stops without a delay too', async () => {
    const controller = new AbortController();
    const stream = createOfflineEchoAdapter().stream(request({ signal: controller.signal }));
    const { deltas, error } = await drain(stream, (i) => i === 1 && controller.abort());
    expect(deltas).toHaveLength(2);
    expect(error).toMatchObject({ kind: 'cancelled' });
  });

  it('embeds deterministically: the same text, the same unit vector', async () => {
    const echo = createOfflineEchoAdapter();
    const { vectors } = await echo.embed!('echo', ['alpha', 'beta', 'alpha']);
    expect(vectors[0]).toHaveLength(8);
    expect(vectors[0]).toEqual(vectors[2]);
    expect(vectors[0]).not.toEqual(vectors[1]);
    expect(Math.hypot(...vectors[1]!)).toBeCloseTo(1);
  });
});

describe('createAdapter', () => {
  it('needs no config for the offline echo', async () => {
    const echo = createAdapter('OFFLINE_ECHO', undefined);
    expect((await echo.complete(request())).text).toBe(PROMPT);
  });

  it('refuses a wire protocol without a config', () => {
    expect(() => createAdapter('ANTHROPIC', undefined)).toThrow(/base URL/);
  });

  it('gives an adapter with the same methods for each wire protocol', () => {
    const config = {
      baseUrl: 'http://127.0.0.1:1',
      timeouts: { connectMs: 1, firstTokenMs: 1, totalMs: 1 },
    };
    const openai = createAdapter('OPENAI_COMPATIBLE', config);
    expect(Object.keys(openai).sort()).toEqual(Object.keys(createOpenAiAdapter(config)).sort());
    expect(typeof createAdapter('ANTHROPIC', config).stream).toBe('function');
  });
});
