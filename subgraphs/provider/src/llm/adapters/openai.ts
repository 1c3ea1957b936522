// The adapter for OpenAI-compatible chat completions (OpenAI, Azure OpenAI, Ollama /v1, vLLM,
// LM Studio, llama.cpp server, LiteLLM): `baseUrl` ends where `/chat/completions` begins.
import {
  ProviderCallError,
  type AdapterConfig,
  type Completion,
  type CompletionRequest,
  type EmbeddingResult,
  type FinishReason,
  type ProviderAdapter,
  type StreamEvent,
  type Usage,
} from '../types.js';
import { CallControl, parseEventData, postJson, readJson, sseEvents } from './http.js';

const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  stop: 'STOP',
  length: 'LENGTH',
  content_filter: 'CONTENT_FILTER',
  tool_calls: 'TOOL_CALLS',
  function_call: 'TOOL_CALLS',
};

/** The stream's terminator, sent as the `data` of the last event. */
const DONE = '[DONE]';

interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

interface WireCompletion {
  choices?: { message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: WireUsage | null;
}

interface WireChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: WireUsage | null;
  error?: { message?: string };
}

interface WireEmbeddings {
  data?: { index: number; embedding: number[] }[];
  usage?: WireUsage;
}

/** Servers that do not know a reason (or send none) still ended the answer normally. */
function finishReason(reason: string | null | undefined): FinishReason {
  return (reason && FINISH_REASONS[reason]) || 'STOP';
}

function usageOf(usage: WireUsage): Usage {
  return { promptTokens: usage.prompt_tokens ?? 0, completionTokens: usage.completion_tokens ?? 0 };
}

export function createOpenAiAdapter(config: AdapterConfig): ProviderAdapter {
  const baseUrl = config.baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = config.apiKey
    ? { authorization: `Bearer ${config.apiKey}` }
    : {};
  const post = (path: string, body: unknown, control: CallControl) =>
    postJson({ url: `${baseUrl}${path}`, headers, body, fetchFn: config.fetchFn }, control);
  const chatBody = (request: CompletionRequest) => ({
    model: request.model,
    messages: request.messages,
    max_tokens: request.maxTokens,
    temperature: request.temperature,
  });

  return {
    async complete(request: CompletionRequest): Promise<Completion> {
      // A non-streamed answer comes with its headers, so the first-token budget covers both.
      const control = new CallControl(config.timeouts, request.signal, ['firstToken']);
      try {
        const response = await post('/chat/completions', chatBody(request), control);
        const body = await readJson<WireCompletion>(response, control);
        const choice = body.choices?.[0];
        if (!choice?.message || !body.usage) {
          throw new ProviderCallError('invalid', 'the answer has no choice or no usage');
        }
        return {
          text: choice.message.content ?? '',
          usage: usageOf(body.usage),
          finishReason: finishReason(choice.finish_reason),
        };
      } finally {
        control.dispose();
      }
    },

    async *stream(request: CompletionRequest): AsyncGenerator<StreamEvent> {
      const control = new CallControl(config.timeouts, request.signal, ['connect', 'firstToken']);
      try {
        const response = await post(
          '/chat/completions',
          { ...chatBody(request), stream: true, stream_options: { include_usage: true } },
          control,
        );
        let usage: Usage | undefined;
        let reason: string | null | undefined;
        let sawDone = false;
        for await (const { data } of sseEvents(response, control)) {
          if (data === DONE) {
            sawDone = true;
            break;
          }
          const chunk = parseEventData<WireChunk>(data);
          if (chunk.error) {
            throw new ProviderCallError('server', chunk.error.message ?? 'error in the stream');
          }
          if (chunk.usage) usage = usageOf(chunk.usage);
          const choice = chunk.choices?.[0];
          if (choice?.finish_reason) reason = choice.finish_reason;
          const text = choice?.delta?.content;
          if (text) {
            control.reached('firstToken');
            yield { type: 'delta', text };
          }
        }
        if (!usage) {
          throw sawDone
            ? new ProviderCallError('invalid', 'the stream ended without usage (include_usage?)')
            : new ProviderCallError('stream-cut', 'the stream ended before its final event');
        }
        yield { type: 'done', usage, finishReason: finishReason(reason) };
      } finally {
        control.dispose();
      }
    },

    async embed(model, texts, signal): Promise<EmbeddingResult> {
      const control = new CallControl(config.timeouts, signal, ['firstToken']);
      try {
        const response = await post('/embeddings', { model, input: texts }, control);
        const body = await readJson<WireEmbeddings>(response, control);
        if (!Array.isArray(body.data) || body.data.length !== texts.length) {
          throw new ProviderCallError('invalid', 'the answer does not hold one vector per text');
        }
        const vectors = [...body.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
        return { vectors, usage: { promptTokens: body.usage?.prompt_tokens ?? 0 } };
      } finally {
        control.dispose();
      }
    },
  };
}
