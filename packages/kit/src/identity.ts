// Identity: verify a bearer JWT against the security subgraph's JWKS (cached by jose), and
// check scopes. Every subgraph checks permissions itself, so one reached directly is not open.
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { createHash, timingSafeEqual } from 'node:crypto';
import { codedError } from './errors.js';

export interface Identity {
  userId: string;
  email: string | undefined;
  scopes: ReadonlySet<string>;
  /** The verified bearer token, forwarded as is to other services. */
  token: string;
  /** The session the token was issued for (its `sid` claim), when it has one. */
  sessionId?: string;
  /** When the token stops being accepted (epoch ms, its `exp` plus the clock tolerance);
   * undefined for a token without `exp`. */
  expiresAt: number | undefined;
}

export interface IdentityVerifier {
  verify(token: string): Promise<Identity>;
}

export interface VerifierOptions {
  issuer: string;
  audience: string;
}

/** What to do next, for the one failure that every honest client meets: tokens are short-lived. */
export const SIGN_IN_AGAIN =
  "sign in again (GraphiQL's sign-in bar, or the `login` mutation) and send the new token";

function invalidTokenMessage(error: Error): string {
  if (error instanceof errors.JWTExpired && typeof error.payload.exp === 'number') {
    const at = new Date(error.payload.exp * 1_000).toISOString();
    return `The bearer token expired at ${at}; ${SIGN_IN_AGAIN}.`;
  }
  return `Invalid bearer token: ${error.message}`;
}

const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;
const JWKS_COOLDOWN_MS = 30_000;
/** Tolerated clock difference between the issuer and this service. */
export const CLOCK_TOLERANCE_S = 5;

function verifierFromKeys(getKey: JWTVerifyGetKey, { issuer, audience }: VerifierOptions) {
  return {
    async verify(token: string): Promise<Identity> {
      try {
        const { payload } = await jwtVerify(token, getKey, {
          issuer,
          audience,
          clockTolerance: CLOCK_TOLERANCE_S,
        });
        if (typeof payload.sub !== 'string' || payload.sub === '') {
          throw new Error('token has no subject');
        }
        const scope = typeof payload['scope'] === 'string' ? payload['scope'] : '';
        return {
          userId: payload.sub,
          email: typeof payload['email'] === 'string' ? payload['email'] : undefined,
          scopes: new Set(scope.split(' ').filter(Boolean)),
          token,
          sessionId: typeof payload['sid'] === 'string' ? payload['sid'] : undefined,
          expiresAt:
            payload.exp === undefined ? undefined : (payload.exp + CLOCK_TOLERANCE_S) * 1_000,
        };
      } catch (error) {
        throw codedError('UNAUTHENTICATED', invalidTokenMessage(error as Error), { cause: error });
      }
    },
  } satisfies IdentityVerifier;
}

/** Verifies against a remote JWKS, fetched once and cached; refetched for unknown key ids. */
export function createJwksVerifier(jwksUrl: string, options: VerifierOptions): IdentityVerifier {
  const keys = createRemoteJWKSet(new URL(jwksUrl), {
    cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
    cooldownDuration: JWKS_COOLDOWN_MS,
  });
  return verifierFromKeys(keys, options);
}

/** Verifies against keys held in process (the security subgraph verifies its own tokens). */
export function createLocalVerifier(
  keySet: () => JSONWebKeySet,
  options: VerifierOptions,
): IdentityVerifier {
  const getKey: JWTVerifyGetKey = (header, token) => createLocalJWKSet(keySet())(header, token);
  return verifierFromKeys(getKey, options);
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** The Authorization value of a graphql-ws connection_init payload (`{ authorization }`). */
export function connectionAuthorization(
  params: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const value = params?.['authorization'] ?? params?.['Authorization'];
  return typeof value === 'string' ? value : undefined;
}

/** The token of an `Authorization: Bearer ...` value; undefined when absent; error when malformed. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = BEARER.exec(authorization.trim());
  if (!match?.[1]) {
    throw codedError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".');
  }
  return match[1];
}

export function hasScope(identity: Identity, scope: string): boolean {
  if (identity.scopes.has(scope) || identity.scopes.has('*')) return true;
  const [resource] = scope.split(':');
  return identity.scopes.has(`${resource}:*`);
}

/** The identity of the request if it holds `scope`; UNAUTHENTICATED / FORBIDDEN otherwise. */
export function requireScope(context: { identity: Identity | null }, scope: string): Identity {
  const { identity } = context;
  if (!identity) {
    throw codedError('UNAUTHENTICATED', `Sign in first: this needs the scope ${scope}.`, {
      extensions: { requiredScope: scope },
    });
  }
  if (!hasScope(identity, scope)) {
    throw codedError('FORBIDDEN', `This needs the scope ${scope}, which the token lacks.`, {
      extensions: { requiredScope: scope },
    });
  }
  return identity;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Whether a secret a caller sent equals the configured one, in time that does not depend on
 * where they differ (nor on their lengths), so that it cannot be guessed byte by byte. */
export const sameSecret = (given: string, expected: string): boolean =>
  timingSafeEqual(digest(given), digest(expected));
