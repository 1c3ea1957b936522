// The configuration of an HTTP tool as it is registered: which URL to call, how, and with
// which extra headers. Validated once at registration so that a call never meets junk.
import { parseInput } from '@supergraph/kit';
import { z } from 'zod';

export type HttpMethod = 'POST' | 'PUT' | 'GET';

export interface HttpToolConfig {
  url: string;
  /**
   * POST (the default) and PUT send the arguments as the JSON body; GET sends them as one query
   * parameter, `?args=<JSON>`, added to the URL's own query.
   */
  method?: HttpMethod;
  headers?: Record<string, string>;
}

/** Longer URLs are refused by common servers and proxies (8 KiB is nginx's default line buffer). */
export const MAX_URL_LENGTH = 8_192;
const MAX_HEADERS = 32;
const MAX_HEADER_VALUE_LENGTH = 4_096;
/** RFC 9110 §5.1: a field name is a token. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, spaces and tabs: no CR/LF (header injection), no NUL, no obs-text. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
/**
 * Headers the client owns: framing and connection management (a wrong one desynchronises the
 * connection), the host, and the body's type, which is always JSON.
 */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
]);

function checkUrl(text: string, context: z.RefinementCtx): void {
  const fail = (message: string) => context.addIssue({ code: z.ZodIssueCode.custom, message });
  if (!URL.canParse(text)) return fail('must be an absolute URL');
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(`must use http or https, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.username || url.password) {
    return fail('must not carry credentials; put them in a header');
  }
  if (url.hash) return fail('must not have a fragment (it is never sent)');
}

const configSchema = z
  .object(
    {
      url: z
        .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
        .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
        .superRefine(checkUrl)
        // The parser's spelling: lower-case host, IPv4 in a.b.c.d, punycode.
        .transform((text) => new URL(text).href),
      method: z
        .enum(['POST', 'PUT', 'GET'], { errorMap: () => ({ message: 'must be POST, PUT or GET' }) })
        .default('POST'),
      headers: z
        .record(
          z.string().regex(HEADER_NAME, 'is not a valid header name'),
          z
            .string({ invalid_type_error: 'must be a string' })
            .max(MAX_HEADER_VALUE_LENGTH, `must be at most ${MAX_HEADER_VALUE_LENGTH} characters`)
            .regex(HEADER_VALUE, 'must hold printable ASCII only (no line breaks)'),
        )
        .superRefine((headers, context) => {
          const names = Object.keys(headers).map((name) => name.toLowerCase());
          if (names.length > MAX_HEADERS) {
            context.addIssue({
              code: 'custom',
              message: `must have at most ${MAX_HEADERS} entries`,
            });
          }
          const reserved = names.find((name) => RESERVED_HEADERS.has(name));
          if (reserved) {
            context.addIssue({
              code: 'custom',
              message: `must not set ${reserved}; the client does`,
            });
          }
          if (new Set(names).size !== names.length) {
            context.addIssue({
              code: 'custom',
              message: 'must not name a header twice (names ignore case)',
            });
          }
        })
        .optional(),
    },
    { required_error: 'is required', invalid_type_error: 'must be an object' },
  )
  .strict('may hold only url, method and headers');

/**
 * Validates a tool's HTTP configuration: an absolute http(s) URL without credentials or
 * fragment, a method, and headers with sane names and values that leave framing to the client.
 * Throws BAD_USER_INPUT naming the field (`${field}.url`, `${field}.headers.X-Key`…).
 */
export function parseHttpToolConfig(value: unknown, field = 'config'): HttpToolConfig {
  return parseInput(configSchema, value, field);
}
