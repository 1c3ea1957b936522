// The HTTP plumbing both wire adapters share: one call's deadlines and cancellation, the POST
// with its status-to-error mapping, the JSON body and a small SSE reader. No well-kept SSE
// parser is installed in the workspace, so `sseEvents` is hand-written (the format is small).
import { ProviderCallError, type AdapterTimeouts, type ProviderErrorKind } from '../types.js';

type Phase = 'connect' | 'firstToken' | 'total';

/** Longest excerpt of an unparseable error body kept in a message. */
const MAX_BODY_EXCERPT = 200;

/**
 * One upstream call: an AbortController fed by the caller's signal and by the phase timers.
 * Whatever aborted the call first is kept, so a rejected fetch or body read can be reported
 * as that (timeout, cancelled) instead of as the abort error undici throws. Every phase is
 * timed from the start of the call, so `firstTokenMs` is the time to first token users see.
 */
export class CallControl {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timers = new Map<Phase, ReturnType<typeof setTimeout>>();
  private failure: ProviderCallError | undefined;
  private readonly onCallerAbort = () => this.fail('cancelled', 'the caller aborted the call');

  constructor(
    private readonly timeouts: AdapterTimeouts,
    private readonly callerSignal: AbortSignal | undefined,
    phases: readonly Phase[],
  ) {
    this.signal = this.controller.signal;
    for (const phase of ['total', ...phases] as const) this.arm(phase);
    if (callerSignal?.aborted) this.onCallerAbort();
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** The phase has been reached: its timer stops. */
  reached(phase: Phase): void {
    clearTimeout(this.timers.get(phase));
    this.timers.delete(phase);
  }

  /** What `err` (thrown while the call ran) means for the caller. */
  error(err: unknown, fallback: ProviderErrorKind, message: string): ProviderCallError {
    if (this.failure) return this.failure;
    if (err instanceof ProviderCallError) return err;
    const reason = err instanceof Error ? `: ${err.message}` : '';
    return new ProviderCallError(fallback, `${message}${reason}`, { cause: err });
  }

  /** Ends the call: stops the timers and, unless it completed, tears the connection down. */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  private arm(phase: Phase): void {
    const ms = this.timeouts[`${phase}Ms`];
    const timer = setTimeout(() => this.fail('timeout', `no ${phase} within ${ms} ms`), ms);
    timer.unref?.();
    this.timers.set(phase, timer);
  }

  private fail(kind: ProviderErrorKind, message: string): void {
    if (this.failure) return;
    this.failure = new ProviderCallError(kind, message);
    this.controller.abort(this.failure);
  }
}

/** `Retry-After` (delay-seconds or HTTP-date), or OpenAI's `retry-after-ms`, in milliseconds. */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The message of an error body: `{error: {message}}` (OpenAI, Anthropic) or `{error: '...'}`. */
function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = body.error as { message?: unknown } | string | undefined;
    if (typeof error === 'string') return error;
    if (typeof error?.message === 'string') return error.message;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: the raw text says more than nothing
  }
  return text.slice(0, MAX_BODY_EXCERPT);
}

async function httpError(response: Response): Promise<ProviderCallError> {
  const text = await response.text().catch(() => '');
  const { status } = response;
  const message = `HTTP ${status}: ${errorMessage(text) || response.statusText}`;
  if (status === 429) {
    return new ProviderCallError('rate-limited', message, {
      status,
      retryAfterMs: parseRetryAfter(response.headers),
    });
  }
  const kind = status >= 500 ? 'server' : status >= 400 ? 'client' : 'invalid';
  return new ProviderCallError(kind, message, { status });
}

export interface PostOptions {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  fetchFn?: typeof fetch | undefined;
}

/** POSTs JSON; resolves with a 2xx response once its headers are in, else throws the mapped error. */
export async function postJson(options: PostOptions, control: CallControl): Promise<Response> {
  const fetchFn = options.fetchFn ?? fetch;
  let response: Response;
  try {
    response = await fetchFn(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(options.body),
      signal: control.signal,
    });
  } catch (err) {
    throw control.error(err, 'network', `POST ${options.url} failed`);
  }
  control.reached('connect');
  if (!response.ok) throw await httpError(response);
  return response;
}

/** The whole body as JSON ('invalid' if it is not). */
export async function readJson<T>(response: Response, control: CallControl): Promise<T> {
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    throw control.error(err, 'network', 'the answer was cut');
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new ProviderCallError('invalid', 'the answer is not JSON', { cause: err });
  }
}

/** Parses one SSE `data` payload as JSON ('invalid' if it is not). */
export function parseEventData<T>(data: string): T {
  try {
    return JSON.parse(data) as T;
  } catch (err) {
    throw new ProviderCallError('invalid', 'a stream event is not JSON', { cause: err });
  }
}

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * The server-sent events of a body, in order. A body that fails while read is 'stream-cut'
 * (unless the call was aborted, then it is why). Returning early cancels the body.
 */
export async function* sseEvents(
  response: Response,
  control: CallControl,
): AsyncGenerator<SseEvent> {
  if (!response.body) throw new ProviderCallError('invalid', 'the stream has no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let done = false;
  try {
    while (!done) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw control.error(err, 'stream-cut', 'the stream was cut');
      }
      done = chunk.done;
      buffer += done ? decoder.decode() + '\n' : decoder.decode(chunk.value, { stream: true });
      // The last piece is an unfinished line; a trailing '\r' may be half of a '\r\n'.
      const end = !done && buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
      const lines = buffer.slice(0, end).split(/\r\n|\r|\n/);
      buffer = (lines.pop() ?? '') + buffer.slice(end);
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else if (field === 'event') event = value;
      }
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
  }
}
