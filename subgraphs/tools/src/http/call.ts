// Calls an HTTP tool: its arguments as JSON to the configured URL through the egress-checked
// agent, a timeout per attempt inside an overall deadline, retries only for idempotent tools
// (with the kit's backoff and Retry-After reading), and a bounded read of the answer.
// Redirects are not followed: a 3xx is the result, so a redirect cannot lead past the allow-list.
import type { IncomingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { backoffDelay, retryAfterMs, wait } from '@supergraph/kit';
import type { Dispatcher } from 'undici';
import { agentFor, EgressDeniedError } from './agent.js';
import { MAX_URL_LENGTH, type HttpToolConfig } from './config.js';
import { checkEgress, type EgressPolicy } from './egress.js';

export type HttpToolFailure =
  'egress-denied' | 'timeout' | 'http-error' | 'network' | 'cancelled' | 'too-large';

export class HttpToolError extends Error {
  override readonly name = 'HttpToolError';
  readonly reason: HttpToolFailure;
  /** The final HTTP status, for 'http-error'. */
  readonly status?: number;
  /** Attempts made; 0 when the call was refused before any. */
  readonly attempts: number;

  constructor(
    reason: HttpToolFailure,
    message: string,
    { status, attempts, cause }: { status?: number; attempts: number; cause?: unknown },
  ) {
    super(message, { cause });
    this.reason = reason;
    this.status = status;
    this.attempts = attempts;
  }
}

export interface HttpCallOptions {
  /** The caller's signal: aborting it ends the call at once with 'cancelled'. */
  signal?: AbortSignal;
  /** Limit of one attempt, from sending to the last byte of the answer. */
  timeoutMs: number;
  /** Limit of the whole call, retries and their waits included; see defaultTotalTimeoutMs. */
  totalTimeoutMs?: number;
  /** Only an idempotent tool is tried more than once. */
  idempotent: boolean;
  egress: EgressPolicy;
  /** Bytes of the answer read at most; the rest is dropped and the result says truncated. */
  maxResponseBytes: number;
  /** Bytes of JSON arguments sent at most (POST/PUT); GET is bounded by MAX_URL_LENGTH. */
  maxRequestBytes?: number;
  /** Attempts of an idempotent tool, the first included. */
  attempts?: number;
  onLog?(message: string): void;
  /** Resolves names (node:dns lookup by default); every address is checked before connecting. */
  lookup?: LookupFunction;
}

export interface HttpCallResult {
  status: number;
  /** The parsed JSON when the answer is JSON and complete, else its text. */
  output: unknown;
  truncated: boolean;
  attempts: number;
  durationMs: number;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_MAX_REQUEST_BYTES = 1_048_576;
/** The query parameter a GET carries the arguments in. */
export const GET_ARGS_PARAM = 'args';
/** Answers that say the server (or what stands before it) could not serve now, not "no". */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const RETRY_BASE_MS = 100;
const RETRY_CAP_MS = 2_000;
/** Characters of an error answer quoted in the message. */
const EXCERPT_CHARS = 200;
const USER_AGENT = 'supergraph-tools';

/** Every attempt its full time, plus the longest backoff before each retry. */
export const defaultTotalTimeoutMs = (timeoutMs: number, attempts: number): number =>
  timeoutMs * attempts + RETRY_CAP_MS * (attempts - 1);

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
  truncated: boolean;
}

function buildRequest(
  config: HttpToolConfig,
  args: unknown,
  maxRequestBytes: number,
): { url: URL; body?: string } {
  const url = new URL(config.url);
  const json = JSON.stringify(args ?? null);
  if ((config.method ?? 'POST') === 'GET') {
    url.searchParams.set(GET_ARGS_PARAM, json);
    if (url.href.length > MAX_URL_LENGTH) {
      throw new HttpToolError(
        'too-large',
        `the arguments make the URL longer than ${MAX_URL_LENGTH} characters; use POST`,
        { attempts: 0 },
      );
    }
    return { url };
  }
  if (Buffer.byteLength(json) > maxRequestBytes) {
    throw new HttpToolError('too-large', `the arguments exceed ${maxRequestBytes} bytes of JSON`, {
      attempts: 0,
    });
  }
  return { url, body: json };
}

/** Reads at most `limit` bytes; stopping early closes the connection (its rest is unread). */
async function readBounded(body: Dispatcher.ResponseData['body'], limit: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length > limit) {
      chunks.push(chunk.subarray(0, limit - size));
      body.destroy();
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

const headerText = (value: string | string[] | undefined): string | null =>
  (Array.isArray(value) ? value[0] : value) ?? null;

function isJson(contentType: string | null): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

function decode(answer: Answer, onLog?: (message: string) => void): unknown {
  const text = answer.bytes.toString('utf8');
  if (answer.truncated || !isJson(headerText(answer.headers['content-type']))) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    onLog?.(`HTTP tool answered invalid JSON (${answer.bytes.length} bytes); kept as text`);
    return text;
  }
}

function excerpt(bytes: Buffer): string {
  const text = bytes.toString('utf8').replace(/\s+/g, ' ').trim();
  if (!text) return '(empty body)';
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

function findCause<T extends Error>(error: unknown, type: new (...args: never[]) => T) {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof type) return cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  const parts: string[] = [];
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${code} ${cause.message}` : cause.message);
  }
  return parts.join(': ') || String(error);
}

/** What an attempt that threw means, asked of the signals first (an abort surfaces as any error). */
function classify(
  error: unknown,
  attempts: number,
  url: URL,
  caller: AbortSignal | undefined,
  timeout: { signal: AbortSignal; ms: number },
): HttpToolError {
  if (error instanceof HttpToolError) return error;
  if (caller?.aborted) {
    return new HttpToolError('cancelled', 'the call was cancelled', { attempts, cause: error });
  }
  if (timeout.signal.aborted) {
    const message = `${url.host} did not answer within ${timeout.ms} ms`;
    return new HttpToolError('timeout', message, { attempts, cause: error });
  }
  const denied = findCause(error, EgressDeniedError);
  if (denied) return new HttpToolError('egress-denied', denied.message, { attempts, cause: error });
  const message = `${url.host} could not be reached: ${describe(error)}`;
  return new HttpToolError('network', message, { attempts, cause: error });
}

const isRetryable = (failure: HttpToolError) =>
  failure.reason === 'network' ||
  failure.reason === 'timeout' ||
  (failure.reason === 'http-error' && RETRYABLE_STATUSES.has(failure.status!));

/**
 * Calls the tool once, or for an idempotent tool up to `attempts` times while it fails with a
 * network error, a timeout or 429/502/503/504 (waiting Retry-After, else the kit's backoff, and
 * never past the overall deadline). Resolves with any status below 400; rejects with an
 * HttpToolError otherwise.
 */
export async function callHttpTool(
  config: HttpToolConfig,
  args: unknown,
  options: HttpCallOptions,
): Promise<HttpCallResult> {
  const started = performance.now();
  const { signal, timeoutMs, idempotent, egress, maxResponseBytes, onLog, lookup } = options;
  const allowed = idempotent ? Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS) : 1;
  const deadline = started + (options.totalTimeoutMs ?? defaultTotalTimeoutMs(timeoutMs, allowed));
  if (signal?.aborted) {
    throw new HttpToolError('cancelled', 'the call was cancelled', { attempts: 0 });
  }

  const { url, body } = buildRequest(
    config,
    args,
    options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
  );
  const refusal = checkEgress(egress, url);
  if (refusal) throw new HttpToolError('egress-denied', refusal, { attempts: 0 });
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
  // Lower-cased so that a configured "Accept" replaces the default instead of doubling it.
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const dispatcher = await agentFor(egress, lookup);
  const { request } = await import('undici');

  for (let attempt = 1; ; attempt += 1) {
    const ms = Math.max(0, Math.floor(Math.min(timeoutMs, deadline - performance.now())));
    const timeout = { signal: AbortSignal.timeout(ms), ms };
    let answer: Answer | undefined;
    let failure: HttpToolError;
    try {
      const response = await request(url, {
        dispatcher,
        method: config.method ?? 'POST',
        headers,
        body,
        signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal,
      });
      const read = await readBounded(response.body, maxResponseBytes);
      answer = { status: response.statusCode, headers: response.headers, ...read };
      if (answer.status < 400) {
        const durationMs = Math.round(performance.now() - started);
        if (answer.truncated) onLog?.(`HTTP tool answer cut at ${maxResponseBytes} bytes`);
        return {
          status: answer.status,
          output: decode(answer, onLog),
          truncated: answer.truncated,
          attempts: attempt,
          durationMs,
        };
      }
      failure = new HttpToolError(
        'http-error',
        `${url.host} answered ${answer.status}: ${excerpt(answer.bytes)}`,
        { status: answer.status, attempts: attempt },
      );
    } catch (error) {
      failure = classify(error, attempt, url, signal, timeout);
    }

    if (attempt >= allowed || !isRetryable(failure)) throw failure;
    const delay =
      retryAfterMs(headerText(answer?.headers['retry-after'])) ??
      backoffDelay(attempt - 1, RETRY_BASE_MS, RETRY_CAP_MS);
    if (performance.now() + delay >= deadline) {
      onLog?.(`HTTP tool: no time left for a retry after ${failure.message}`);
      throw failure;
    }
    onLog?.(`HTTP tool attempt ${attempt} failed (${failure.message}); retrying in ${delay} ms`);
    try {
      await wait(delay, signal);
    } catch (error) {
      throw classify(error, attempt, url, signal, timeout);
    }
  }
}
