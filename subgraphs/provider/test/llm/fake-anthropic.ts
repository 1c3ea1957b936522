// A fake Anthropic Messages API server for tests (real HTTP, real event stream). Like
// fake-openai.ts but smaller: the happy path, streamed or not, an error, and a cut stream.
//   const anthropic = await startFakeAnthropic();      // url is the host, key FAKE_ANTHROPIC_KEY
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  lastUserText,
  promptTokens,
  sendJson,
  startFakeServer,
  tokens,
  write,
  type FakeServer,
} from './fake-server.js';

export const FAKE_ANTHROPIC_KEY = 'sk-ant-fake';

export type FakeAnthropicBehaviour =
  | { kind: 'answer'; text?: string; stopReason?: string; cutAfterChunks?: number }
  /** An HTTP error with an Anthropic error body, e.g. 529 'overloaded_error'. */
  | { kind: 'error'; status: number; type?: string; message?: string };

export type FakeAnthropic = FakeServer<FakeAnthropicBehaviour>;

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { type: 'error', error: { type, message } });
}

const sse = (type: string, data: object) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

export function startFakeAnthropic(): Promise<FakeAnthropic> {
  return startFakeServer<FakeAnthropicBehaviour>('', async (call, res, behaviour, cut) => {
    if (call.headers['x-api-key'] !== FAKE_ANTHROPIC_KEY) {
      return sendError(res, 401, 'authentication_error', 'invalid x-api-key');
    }
    if (call.headers['anthropic-version'] !== '2023-06-01') {
      return sendError(res, 400, 'invalid_request_error', 'anthropic-version is required');
    }
    if (call.path !== '/v1/messages') return sendError(res, 404, 'not_found_error', call.path);
    const script = behaviour ?? { kind: 'answer' };
    if (script.kind === 'error') {
      const type = script.type ?? (script.status >= 500 ? 'api_error' : 'invalid_request_error');
      return sendError(res, script.status, type, script.message ?? `fake error ${script.status}`);
    }
    const { body } = call;
    if (typeof body.max_tokens !== 'number') {
      return sendError(res, 400, 'invalid_request_error', 'max_tokens: Field required');
    }
    const text = script.text ?? lastUserText(body);
    const pieces = tokens(text);
    const stopReason = script.stopReason ?? 'end_turn';
    const message = {
      id: `msg_${randomUUID()}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
      stop_sequence: null,
    };
    const inputTokens = promptTokens(body);
    if (!body.stream) {
      return sendJson(res, 200, {
        ...message,
        content: [{ type: 'text', text }],
        stop_reason: stopReason,
        usage: { input_tokens: inputTokens, output_tokens: pieces.length },
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const usage = { input_tokens: inputTokens, output_tokens: 1 };
    await write(res, sse('message_start', { message: { ...message, content: [], usage } }));
    await write(res, sse('content_block_start', { index: 0, content_block: { type: 'text' } }));
    await write(res, sse('ping', {}));
    for (const [i, piece] of pieces.entries()) {
      if (i === script.cutAfterChunks) return cut();
      const delta = { type: 'text_delta', text: piece };
      await write(res, sse('content_block_delta', { index: 0, delta }));
    }
    if (script.cutAfterChunks !== undefined) return cut();
    await write(res, sse('content_block_stop', { index: 0 }));
    const delta = { stop_reason: stopReason, stop_sequence: null };
    await write(res, sse('message_delta', { delta, usage: { output_tokens: pieces.length } }));
    res.end(sse('message_stop', {}));
  });
}
