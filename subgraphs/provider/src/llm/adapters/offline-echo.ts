// A development aid, not a model: it answers with the last user message, streamed word by word,
// so the whole path (resolvers, subscriptions, usage accounting) works without any provider.
import { createHash } from 'node:crypto';
import {
  ProviderCallError,
  type ChatMessage,
  type Completion,
  type CompletionRequest,
  type EmbeddingResult,
  type ProviderAdapter,
  type StreamEvent,
} from '../types.js';

/** Characters per "token" for the approximate usage counts (the usual rule of thumb). */
const CHARS_PER_TOKEN = 4;
/** Dimensions of the echo's embedding vectors. */
const EMBEDDING_DIMENSIONS = 8;

export interface OfflineEchoOptions {
  /** Wait between two streamed tokens. */
  delayMs?: number;
}

const approxTokens = (text: string) => Math.ceil(text.length / CHARS_PER_TOKEN);

function lastUserMessage(messages: readonly ChatMessage[]): string {
  return messages.findLast((m) => m.role === 'user')?.content ?? '';
}

/** Splits before each word that follows whitespace: the pieces join back to `text` exactly. */
export function echoTokens(text: string): string[] {
  return text.split(/(?<=\s)(?=\S)/).filter((piece) => piece !== '');
}

function cancelled(): ProviderCallError {
  return new ProviderCallError('cancelled', 'the caller aborted the call');
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function answer(request: CompletionRequest): Completion {
  const text = lastUserMessage(request.messages);
  const prompt = request.messages.map((m) => m.content).join('');
  return {
    text,
    usage: { promptTokens: approxTokens(prompt), completionTokens: approxTokens(text) },
    finishReason: 'STOP',
  };
}

/**
 * Vectors derived from a SHA-256 of the text, unit length: the same text always gets the same
 * vector, but nearness means nothing (it is not a semantic embedding).
 */
function hashVector(text: string): number[] {
  const digest = createHash('sha256').update(text).digest();
  const raw = Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => digest.readInt16BE(i * 2));
  const norm = Math.hypot(...raw) || 1;
  return raw.map((x) => x / norm);
}

export function createOfflineEchoAdapter({
  delayMs = 0,
}: OfflineEchoOptions = {}): ProviderAdapter {
  return {
    async complete(request) {
      if (request.signal?.aborted) throw cancelled();
      if (delayMs > 0) await pause(delayMs, request.signal);
      return answer(request);
    },

    async *stream(request): AsyncGenerator<StreamEvent> {
      const { text, usage, finishReason } = answer(request);
      for (const piece of echoTokens(text)) {
        if (delayMs > 0) await pause(delayMs, request.signal);
        else if (request.signal?.aborted) throw cancelled();
        yield { type: 'delta', text: piece };
      }
      if (request.signal?.aborted) throw cancelled();
      yield { type: 'done', usage, finishReason };
    },

    async embed(_model, texts, signal): Promise<EmbeddingResult> {
      if (signal?.aborted) throw cancelled();
      return {
        vectors: texts.map(hashVector),
        usage: { promptTokens: texts.reduce((sum, t) => sum + approxTokens(t), 0) },
      };
    },
  };
}
