// Which web pages may call a service from a browser (CORS), and the CSRF guard for the
// requests a browser sends cross-site without asking first (a GET, a form, a text body).
// Tokens travel in the Authorization header, never in cookies, but a page must still not be
// able to make a visitor's browser run mutations here.
import type { Plugin } from 'graphql-yoga';
import { codedError } from './errors.js';

export interface CrossOriginPolicy {
  /** Exact origins (`https://app.example.com`) allowed to call with credentials; `*` allows
   * any origin, without credentials. */
  origins: readonly string[];
  /** Also allow pages served from this machine (development). */
  allowLocalhost: boolean;
}

/** Headers of which any one marks a request as sent on purpose by a GraphQL client (a page
 * on another site cannot add one without a CORS preflight, which it would fail). */
export const CSRF_HEADERS = ['x-graphql-csrf', 'apollo-require-preflight'] as const;

/** Content types a browser sends cross-site without a preflight (the Fetch standard's
 * "CORS-safelisted" request content types). */
const SIMPLE_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const CORS_MAX_AGE_S = 600;
const EXPOSED_HEADERS = ['x-request-id', 'retry-after'];

function isLocalOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOCAL_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

/** yoga's `cors` option: CORS headers only for allowed origins; none for any other. */
export function corsFor(policy: CrossOriginPolicy) {
  const listed = new Set(policy.origins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (!origin) return false;
    const trusted = listed.has(origin) || (policy.allowLocalhost && isLocalOrigin(origin));
    if (!trusted && !listed.has('*')) return false;
    return {
      origin: [origin],
      credentials: trusted,
      methods: ['GET', 'POST', 'OPTIONS'],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: CORS_MAX_AGE_S,
    };
  };
}

function isSimpleRequest(contentType: string | null): boolean {
  if (!contentType) return true;
  const type = contentType.toLowerCase();
  return SIMPLE_CONTENT_TYPES.some((simple) => type.startsWith(simple));
}

/**
 * Refuses GraphQL requests that a page on another site could have made a browser send
 * without a preflight, unless they carry one of CSRF_HEADERS. Written here rather than with
 * @graphql-yoga/plugin-csrf-prevention because that plugin's refusal has no error code and
 * does not say which header would do.
 */
export function useCsrfPrevention(): Plugin {
  return {
    onRequestParse({ request }) {
      if (!isSimpleRequest(request.headers.get('content-type'))) return;
      if (CSRF_HEADERS.some((name) => request.headers.has(name))) return;
      throw codedError(
        'CSRF_HEADER_REQUIRED',
        `A GET, form or text request must carry the header ${CSRF_HEADERS[0]} (any value), or be sent as Content-Type: application/json, so that another site cannot forge it.`,
        { extensions: { http: { status: 403 }, headers: [...CSRF_HEADERS] } },
      );
    },
  };
}
