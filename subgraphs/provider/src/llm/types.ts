// What the provider subgraph needs from any AI provider, whatever its wire protocol: the
// adapters (OpenAI-compatible, Anthropic, offline echo) implement ProviderAdapter, and the
// resilience layer and the resolvers only see these types.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  /** The provider's own model name, e.g. 'gpt-4o-mini'. */
  model: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /** Aborts the upstream request (client unsubscribed, deadline passed). */
  signal?: AbortSignal;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export type FinishReason =
  'STOP' | 'LENGTH' | 'CONTENT_FILTER' | 'TOOL_CALLS' | 'ERROR' | 'CANCELLED';

export interface Completion {
  text: string;
  usage: Usage;
  finishReason: FinishReason;
}

/** A streamed completion: deltas in order, then exactly one `done` (with the usage). */
export type StreamEvent =
  { type: 'delta'; text: string } | { type: 'done'; usage: Usage; finishReason: FinishReason };

export interface EmbeddingResult {
  vectors: number[][];
  usage: { promptTokens: number };
}

export interface ProviderAdapter {
  complete(request: CompletionRequest): Promise<Completion>;
  stream(request: CompletionRequest): AsyncIterable<StreamEvent>;
  embed?(model: string, texts: readonly string[], signal?: AbortSignal): Promise<EmbeddingResult>;
}

export type ProviderErrorKind =
  /** No answer, or no first token, or not all of it, within the timeout. */
  | 'timeout'
  /** HTTP 429. */
  | 'rate-limited'
  /** HTTP 5xx. */
  | 'server'
  /** HTTP 4xx other than 429: the request itself is wrong; retrying cannot help. */
  | 'client'
  /** Connection refused, reset, DNS... */
  | 'network'
  /** A stream that ended before its final event. */
  | 'stream-cut'
  /** An answer that is not what the protocol promises. */
  | 'invalid'
  /** The caller aborted. */
  | 'cancelled';

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  'timeout',
  'rate-limited',
  'server',
  'network',
  'stream-cut',
]);

export class ProviderCallError extends Error {
  override readonly name = 'ProviderCallError';
  readonly retryable: boolean;

  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.retryable = RETRYABLE.has(kind);
  }
}

export interface AdapterTimeouts {
  /** Until the response headers arrive. */
  connectMs: number;
  /** Until the first token of a stream (or the whole body of a non-streamed answer). */
  firstTokenMs: number;
  /** The whole call. */
  totalMs: number;
}

export interface AdapterConfig {
  baseUrl: string;
  apiKey?: string | undefined;
  timeouts: AdapterTimeouts;
  fetchFn?: typeof fetch;
}
