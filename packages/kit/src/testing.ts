// Helpers for tests: GraphQL requests against a yoga app in process (no port).
import type { ExecutionResult } from 'graphql';

interface Fetchable {
  fetch(input: string, init?: RequestInit): Promise<Response> | Response;
}

export interface GraphQLCall {
  /** Absent for a persisted operation sent by its id (in `extensions`). */
  query?: string;
  /** Which operation of a document with several to run. */
  operationName?: string;
  extensions?: Record<string, unknown>;
  variables?: Record<string, unknown>;
  token?: string;
  headers?: Record<string, string>;
}

export type Result<TData = Record<string, unknown>> = ExecutionResult<TData> & {
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
};

/** POSTs one GraphQL operation to `/graphql` of an in-process yoga app or an URL. */
export async function graphql<TData = Record<string, any>>(
  target: Fetchable | string,
  { query, operationName, variables, extensions, token, headers = {} }: GraphQLCall,
): Promise<Result<TData> & { status: number; response: Response }> {
  const init: RequestInit = {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, operationName, variables, extensions }),
  };
  const response =
    typeof target === 'string'
      ? await fetch(target, init)
      : await target.fetch('http://localhost/graphql', init);
  const body = (await response.json()) as Result<TData>;
  return { ...body, status: response.status, response };
}

const POLL_MS = 10;

/**
 * Polls `check` until it holds, and fails with `what` (and the last error the check threw, a
 * service not listening yet, say) once `timeoutMs` has passed: a test waits for the condition,
 * never for a fixed time. The timeout is a hang guard, not a speed assertion.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = lastError === undefined ? '' : ` (last: ${String(lastError)})`;
      throw new Error(`timed out waiting for ${what}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A JSON value written as a GraphQL literal (`{ team: "ops", tags: ["a"] }`), to send a
 * value inline in an operation rather than as a variable. */
export function graphqlLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(graphqlLiteral).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).map(([key, entry]) => `${key}: ${graphqlLiteral(entry)}`);
    return `{ ${fields.join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** The codes of a result's errors, in order. */
export const errorCodes = (result: {
  errors?: readonly { extensions?: Record<string, unknown> }[];
}) => (result.errors ?? []).map((error) => error.extensions?.['code']);

/** Mints tokens the way the security subgraph does, and the verifier that accepts them, so a
 * subgraph can be tested alone. */
export async function createTestIssuer({
  issuer = 'urn:supergraph:security',
  audience = 'urn:supergraph',
} = {}) {
  const { SignJWT, exportJWK, generateKeyPair } = await import('jose');
  const { createLocalVerifier } = await import('./identity.js');
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = 'test-key';
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256' };
  return {
    verifier: createLocalVerifier(() => ({ keys: [publicJwk] }), { issuer, audience }),
    /** The public key set, for a service in another process to fetch as its JWKS. */
    jwks: { keys: [publicJwk] },
    token: (userId: string, scopes: string[], email = `${userId}@example.com`) =>
      new SignJWT({ scope: scopes.join(' '), email })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey),
  };
}

/** A fresh database on a PostgreSQL server (for `*.pg.test.ts`), dropped by `drop()`. */
export async function createTestDatabase(serverUrl: string, prefix = 'test') {
  const { default: pg } = await import('pg');
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
