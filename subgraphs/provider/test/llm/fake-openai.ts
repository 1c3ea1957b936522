// A fake OpenAI chat completions server for tests (real HTTP, real wire format, incl. streamed
// chunks and the include_usage chunk). Usage:
//   const openai = await startFakeOpenAi();            // url ends in /v1, key FAKE_OPENAI_KEY
//   openai.script({ kind: 'error', status: 429 });     // the next request gets a 429
//   ...adapter with baseUrl openai.url...; openai.calls[0].body; await openai.close();
// Unscripted requests echo the last user message (finish_reason "stop").
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  holdFor,
  lastUserText,
  promptTokens,
  sendJson,
  startFakeServer,
  tokens,
  write,
  type FakeServer,
  type RecordedCall,
} from './fake-server.js';

export const FAKE_OPENAI_KEY = 'sk-fake-openai';

export type FakeOpenAiBehaviour =
  /** An answer: `text` (default: the echo), streamed or not as the request asks. */
  | {
      kind: 'answer';
      text?: string;
      finishReason?: string;
      /** Holds back the first chunk (streams) or the whole answer (non-streamed). */
      firstTokenDelayMs?: number;
      /** Streams only: destroys the socket after this many content chunks. */
      cutAfterChunks?: number;
      /** Streams only: after this many content chunks, sends nothing more (until closed). */
      stallAfterChunks?: number;
    }
  /** An HTTP error with an OpenAI error body; a 429 carries `Retry-After: 1` unless told. */
  | { kind: 'error'; status: number; message?: string; retryAfter?: string }
  /** Never answers, not even headers. */
  | { kind: 'hang' };

export type FakeOpenAi = FakeServer<FakeOpenAiBehaviour>;

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'rate_limit_exceeded',
};

function sendError(res: ServerResponse, status: number, message: string, headers = {}): void {
  const type = ERROR_TYPES[status] ?? 'server_error';
  sendJson(res, status, { error: { message, type, param: null, code: null } }, headers);
}

async function answer(
  call: RecordedCall,
  res: ServerResponse,
  behaviour: Extract<FakeOpenAiBehaviour, { kind: 'answer' }>,
  cut: () => void,
): Promise<void> {
  const { body } = call;
  const text = behaviour.text ?? lastUserText(body);
  const pieces = tokens(text);
  const finishReason = behaviour.finishReason ?? 'stop';
  const usage = {
    prompt_tokens: promptTokens(body),
    completion_tokens: pieces.length,
    total_tokens: promptTokens(body) + pieces.length,
  };
  const id = `chatcmpl-${randomUUID()}`;
  const head = {
    id,
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    system_fingerprint: 'fp_fake',
  };
  if (!body.stream) {
    if (behaviour.firstTokenDelayMs) await holdFor(behaviour.firstTokenDelayMs);
    const message = { role: 'assistant', content: text, refusal: null };
    const choices = [{ index: 0, message, logprobs: null, finish_reason: finishReason }];
    return sendJson(res, 200, { ...head, object: 'chat.completion', choices, usage });
  }
  const withUsage = body.stream_options?.include_usage === true;
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({
      ...head,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(withUsage ? { usage: null } : {}),
    })}\n\n`;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  if (behaviour.firstTokenDelayMs) await holdFor(behaviour.firstTokenDelayMs);
  await write(res, chunk({ role: 'assistant', content: '', refusal: null }, null));
  for (const [i, piece] of pieces.entries()) {
    if (i === behaviour.cutAfterChunks) return cut();
    if (i === behaviour.stallAfterChunks) return;
    await write(res, chunk({ content: piece }, null));
  }
  if (behaviour.cutAfterChunks !== undefined) return cut();
  if (behaviour.stallAfterChunks !== undefined) return;
  await write(res, chunk({}, finishReason));
  if (withUsage) {
    const last = { ...head, object: 'chat.completion.chunk', choices: [], usage };
    await write(res, `data: ${JSON.stringify(last)}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}

function embeddings(call: RecordedCall, res: ServerResponse): void {
  const input: string[] = [call.body.input].flat();
  const data = input.map((text, index) => ({
    object: 'embedding',
    index,
    embedding: [text.length, index, 0.5],
  }));
  const usage = {
    prompt_tokens: promptTokens({ messages: input.map((content) => ({ content })) }),
  };
  sendJson(res, 200, { object: 'list', data, model: call.body.model, usage });
}

/** Starts the fake; `apiKey: null` accepts any or no key (like a local Ollama). */
export function startFakeOpenAi({
  apiKey = FAKE_OPENAI_KEY,
}: { apiKey?: string | null } = {}): Promise<FakeOpenAi> {
  return startFakeServer<FakeOpenAiBehaviour>('/v1', async (call, res, behaviour, cut) => {
    if (apiKey !== null && call.headers.authorization !== `Bearer ${apiKey}`) {
      return sendError(res, 401, 'Incorrect API key provided.');
    }
    const script = behaviour ?? { kind: 'answer' };
    if (script.kind === 'hang') return;
    if (script.kind === 'error') {
      const retryAfter = script.retryAfter ?? (script.status === 429 ? '1' : undefined);
      const headers = retryAfter ? { 'retry-after': retryAfter } : {};
      return sendError(
        res,
        script.status,
        script.message ?? `fake error ${script.status}`,
        headers,
      );
    }
    if (call.path === '/embeddings') return embeddings(call, res);
    if (call.path !== '/chat/completions') return sendError(res, 404, `no route ${call.path}`);
    return answer(call, res, script, cut);
  });
}
