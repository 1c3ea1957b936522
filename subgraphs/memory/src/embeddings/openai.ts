// Client of an OpenAI-compatible POST /embeddings endpoint (OpenAI, Ollama's /v1, vLLM, ...):
// cached, batched, retried with backoff and guarded by a circuit breaker, so that a slow or
// failing service costs a request little time and does not get hammered while it is down.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import CircuitBreaker from 'opossum';
import { backoffDelay, wait } from '@supergraph/kit';
import { EmbeddingError, type Embedder } from './embedder.js';
import { httpFailure, readVectors, TransientFailure } from './openai-answer.js';
import { mapLimit } from './map-limit.js';

export const OPENAI_KIND = 'openai';
/** Longer than this, a Retry-After is not waited for inside a request: it fails at once. */
const MAX_RETRY_AFTER_MS = 30_000;

export interface OpenAiEmbedderOptions {
  /** e.g. https://api.openai.com/v1 or http://localhost:11434/v1 */
  baseUrl: string;
  apiKey?: string;
  model: string;
  dimensions: number;
  /** Per HTTP attempt, not per embed() call. */
  timeoutMs?: number;
  maxBatchSize?: number;
  /** Batches in flight at once for one embed() call. */
  concurrency?: number;
  maxRetries?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Texts whose vectors are kept; 0 turns the cache off. */
  cacheSize?: number;
  /** Send `dimensions` in the request; false for models that reject it (ada-002, some vLLM). */
  sendDimensions?: boolean;
  breaker?: {
    errorThresholdPercentage?: number;
    volumeThreshold?: number;
    resetTimeoutMs?: number;
  };
  fetchFn?: typeof fetch;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface OpenAiEmbedderStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Texts answered from the cache. */
  cacheHits: number;
  retries: number;
  breaker: BreakerState;
}

export interface OpenAiEmbedder extends Embedder {
  stats(): OpenAiEmbedderStats;
  close(): Promise<void>;
}

/** The caller's own signal fired: not the service's fault, so neither retried nor counted. */
class CallerAborted extends Error {
  constructor(readonly reason: unknown) {
    super('aborted by the caller');
  }
}

export function createOpenAiEmbedder({
  baseUrl,
  apiKey,
  model,
  dimensions,
  timeoutMs = 10_000,
  maxBatchSize = 64,
  concurrency = 4,
  maxRetries = 3,
  backoffBaseMs = 200,
  backoffCapMs = 5_000,
  cacheSize = 10_000,
  sendDimensions = true,
  breaker: { errorThresholdPercentage = 50, volumeThreshold = 5, resetTimeoutMs = 30_000 } = {},
  fetchFn = fetch,
}: OpenAiEmbedderOptions): OpenAiEmbedder {
  const url = `${baseUrl.replace(/\/+$/, '')}/embeddings`;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const counts = { requests: 0, cacheHits: 0, retries: 0 };
  const cache = cacheSize > 0 ? new LRUCache<string, number[]>({ max: cacheSize }) : undefined;

  /** One HTTP attempt for one batch; resolves only with a validated, normalised answer. */
  async function attempt(input: string[], signal?: AbortSignal): Promise<number[][]> {
    counts.requests++;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetchFn(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model, input, ...(sendDimensions ? { dimensions } : {}) }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      if (!response.ok) throw await httpFailure(response);
      let body: unknown;
      try {
        body = await response.json();
      } catch (error) {
        // By name: fetch's SyntaxError may come from another realm (jest's vm sandboxes).
        if ((error as Error).name !== 'SyntaxError') throw error;
        throw new EmbeddingError('EMBEDDING_INVALID', 'embedding service answered invalid JSON');
      }
      return readVectors(body, input.length, dimensions);
    } catch (error) {
      if (signal?.aborted) throw new CallerAborted(signal.reason);
      if (error instanceof EmbeddingError || error instanceof TransientFailure) throw error;
      if (timeout.aborted) {
        throw new TransientFailure(`embedding service did not answer within ${timeoutMs} ms`);
      }
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      const reason = cause ?? (error as Error).message;
      throw new TransientFailure(`embedding service could not be reached: ${reason}`, undefined, {
        cause: error,
      });
    }
  }

  const breaker = new CircuitBreaker(attempt, {
    name: `embeddings:${model}`,
    timeout: false, // each attempt's AbortSignal enforces timeoutMs
    errorThresholdPercentage,
    volumeThreshold,
    resetTimeout: resetTimeoutMs,
    // A refusal or a malformed answer means the service is up; the caller aborting says
    // nothing about it at all. Only transient failures count towards opening the breaker.
    errorFilter: (error: unknown) => !(error instanceof TransientFailure),
  });

  async function embedBatch(input: string[], signal?: AbortSignal): Promise<number[][]> {
    for (let retry = 0; ; retry++) {
      try {
        return await breaker.fire(input, signal);
      } catch (error) {
        if (error instanceof CallerAborted) throw error.reason;
        if (error instanceof EmbeddingError) throw error;
        const attempts = `${retry + 1} attempt${retry === 0 ? '' : 's'}`;
        if ((error as { code?: string }).code === 'EOPENBREAKER') {
          throw new EmbeddingError(
            'EMBEDDING_UNAVAILABLE',
            `embedding service is failing; its circuit breaker is open, so it was not called (after ${attempts})`,
          );
        }
        if (!(error instanceof TransientFailure)) {
          // Breaker shut down by close(), or a bug: never retried.
          throw new EmbeddingError('EMBEDDING_UNAVAILABLE', (error as Error).message, {
            cause: error,
          });
        }
        const delay = error.retryAfterMs ?? backoffDelay(retry, backoffBaseMs, backoffCapMs);
        if (retry >= maxRetries || delay > MAX_RETRY_AFTER_MS) {
          const why = delay > MAX_RETRY_AFTER_MS ? `, asked to wait ${delay / 1_000} s` : '';
          throw new EmbeddingError(
            'EMBEDDING_UNAVAILABLE',
            `${error.message} (${attempts}${why})`,
            {
              cause: error,
            },
          );
        }
        counts.retries++;
        await wait(delay, signal);
      }
    }
  }

  const cacheKey = (text: string) =>
    createHash('sha256').update(`${model}\0${dimensions}\0${text}`).digest('hex');

  return {
    kind: OPENAI_KIND,
    model,
    dimensions,

    async embed(texts, signal) {
      signal?.throwIfAborted();
      const vectors = new Array<number[]>(texts.length);
      // Each distinct uncached text is sent once, whatever the number of its copies.
      const missing = new Map<string, { text: string; key: string; at: number[] }>();
      texts.forEach((text, at) => {
        const key = cache ? cacheKey(text) : '';
        const cached = cache?.get(key);
        if (cached) {
          counts.cacheHits++;
          vectors[at] = cached.slice(); // a copy: callers must not be able to change the cache
          return;
        }
        const entry = missing.get(text);
        if (entry) entry.at.push(at);
        else missing.set(text, { text, key, at: [at] });
      });
      const pending = [...missing.values()];
      const batches: (typeof pending)[] = [];
      for (let i = 0; i < pending.length; i += maxBatchSize) {
        batches.push(pending.slice(i, i + maxBatchSize));
      }
      await mapLimit(batches, concurrency, async (batch) => {
        const answer = await embedBatch(
          batch.map((entry) => entry.text),
          signal,
        );
        batch.forEach((entry, i) => {
          const vector = answer[i]!;
          cache?.set(entry.key, vector);
          for (const at of entry.at) vectors[at] = vector.slice();
        });
      });
      return vectors;
    },

    stats() {
      const state = breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
      return { ...counts, breaker: state };
    },

    async close() {
      breaker.shutdown();
      cache?.clear();
    },
  };
}
