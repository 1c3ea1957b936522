// The adapter for Anthropic's Messages API: `baseUrl` is the host (https://api.anthropic.com),
// system messages move to the top-level `system` field and `max_tokens` is always sent.
import {
  ProviderCallError,
  type AdapterConfig,
  type Completion,
  type CompletionRequest,
  type FinishReason,
  type ProviderAdapter,
  type ProviderErrorKind,
  type StreamEvent,
} from '../types.js';
import { CallControl, parseEventData, postJson, readJson, sseEvents } from './http.js';

export const ANTHROPIC_VERSION = '2023-06-01';
/** The API requires `max_tokens`; this is used when the request has none. */
export const DEFAULT_MAX_TOKENS = 1024;

const STOP_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'STOP',
  stop_sequence: 'STOP',
  max_tokens: 'LENGTH',
  tool_use: 'TOOL_CALLS',
  refusal: 'CONTENT_FILTER',
};

/** An `error` event inside a stream carries an error type instead of an HTTP status. */
const STREAM_ERROR_KINDS: Readonly<Record<string, ProviderErrorKind>> = {
  rate_limit_error: 'rate-limited',
  invalid_request_error: 'client',
};

interface WireUsage {
  input_tokens?: number;
  output_tokens?: number;
}

interface WireMessage {
  content?: { type: string; text?: string }[];
  stop_reason?: string | null;
  usage?: WireUsage;
}

type WireEvent =
  | { type: 'message_start'; message?: { usage?: WireUsage } }
  | { type: 'content_block_delta'; delta?: { type?: string; text?: string } }
  | { type: 'message_delta'; delta?: { stop_reason?: string | null }; usage?: WireUsage }
  | { type: 'message_stop' }
  | { type: 'error'; error?: { type?: string; message?: string } }
  | { type: 'ping' | 'content_block_start' | 'content_block_stop' };

function finishReason(reason: string | null | undefined): FinishReason {
  return (reason && STOP_REASONS[reason]) || 'STOP';
}

function messagesBody(request: CompletionRequest) {
  const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
  return {
    model: request.model,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    temperature: request.temperature,
    ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
    messages: request.messages
      .filter((m) => m.role !== 'system')
      .map(({ role, content }) => ({ role, content })),
  };
}

export function createAnthropicAdapter(config: AdapterConfig): ProviderAdapter {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/v1/messages`;
  const headers: Record<string, string> = {
    'anthropic-version': ANTHROPIC_VERSION,
    ...(config.apiKey ? { 'x-api-key': config.apiKey } : {}),
  };
  const post = (body: unknown, control: CallControl) =>
    postJson({ url, headers, body, fetchFn: config.fetchFn }, control);

  return {
    async complete(request: CompletionRequest): Promise<Completion> {
      // A non-streamed answer comes with its headers, so the first-token budget covers both.
      const control = new CallControl(config.timeouts, request.signal, ['firstToken']);
      try {
        const response = await post(messagesBody(request), control);
        const body = await readJson<WireMessage>(response, control);
        if (!Array.isArray(body.content) || !body.usage) {
          throw new ProviderCallError('invalid', 'the answer has no content or no usage');
        }
        return {
          text: body.content
            .map((block) => (block.type === 'text' ? (block.text ?? '') : ''))
            .join(''),
          usage: {
            promptTokens: body.usage.input_tokens ?? 0,
            completionTokens: body.usage.output_tokens ?? 0,
          },
          finishReason: finishReason(body.stop_reason),
        };
      } finally {
        control.dispose();
      }
    },

    async *stream(request: CompletionRequest): AsyncGenerator<StreamEvent> {
      const control = new CallControl(config.timeouts, request.signal, ['connect', 'firstToken']);
      try {
        const response = await post({ ...messagesBody(request), stream: true }, control);
        let promptTokens = 0;
        let completionTokens = 0;
        let reason: string | null | undefined;
        let stopped = false;
        for await (const { data } of sseEvents(response, control)) {
          const event = parseEventData<WireEvent>(data);
          if (event.type === 'message_start') {
            promptTokens = event.message?.usage?.input_tokens ?? promptTokens;
          } else if (event.type === 'content_block_delta') {
            if (event.delta?.type === 'text_delta' && event.delta.text) {
              control.reached('firstToken');
              yield { type: 'delta', text: event.delta.text };
            }
          } else if (event.type === 'message_delta') {
            completionTokens = event.usage?.output_tokens ?? completionTokens;
            reason = event.delta?.stop_reason ?? reason;
          } else if (event.type === 'error') {
            const kind = STREAM_ERROR_KINDS[event.error?.type ?? ''] ?? 'server';
            throw new ProviderCallError(kind, event.error?.message ?? 'error in the stream');
          } else if (event.type === 'message_stop') {
            stopped = true;
            break;
          }
        }
        if (!stopped) {
          throw new ProviderCallError('stream-cut', 'the stream ended before message_stop');
        }
        yield {
          type: 'done',
          usage: { promptTokens, completionTokens },
          finishReason: finishReason(reason),
        };
      } finally {
        control.dispose();
      }
    },
  };
}
