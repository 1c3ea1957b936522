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
import type { Logger } from './logger.js';
import {
  followRevocations,
  httpRevocationFeed,
  RevocationList,
  type RevocationFollower,
} from './revocations.js';

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
  /** Calls the listener once if the token gets revoked (its session ended, its key retired);
   * answers a function that stops watching. Absent where nothing can revoke the token. */
  whenRevoked?: (listener: (refusal: string) => void) => () => void;
}

export interface IdentityVerifier {
  verify(token: string): Promise<Identity>;
  /** Stops what the verifier runs in the background (the revocation feed). */
  close?(): Promise<void>;
}

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /** Revoked sessions, users' tokens and keys: a token they cover is refused. */
  revocations?: RevocationList;
}

/** The one algorithm tokens are signed with; any other (`none`, HS256...) is refused. */
export const TOKEN_ALGORITHM = 'ES256';
/** Headers that would let a token bring or point to its own key: never believed, refused. */
const KEY_CARRYING_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'] as const;

/** What to do next, for the one failure that every honest client meets: tokens are short-lived. */
export const SIGN_IN_AGAIN =
  "sign in again (GraphiQL's sign-in bar, or the `login` mutation) and send the new token";

function invalidTokenMessage(error: Error): string {
  if (error instanceof RevokedToken) return `${error.message}; ${SIGN_IN_AGAIN}.`;
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

/** Verification pins the algorithm and the token type, and requires `exp`, `iat`, `iss`,
 * `aud` and `sub`; a token that carries its own key is refused before any key is looked up. */
function verifierFromKeys(
  getKey: JWTVerifyGetKey,
  { issuer, audience, revocations }: VerifierOptions,
) {
  const pinnedKey: JWTVerifyGetKey = (header, token) => {
    const carried = KEY_CARRYING_HEADERS.find((name) => header[name] !== undefined);
    if (carried) throw new Error(`a token may not carry its own key ("${carried}" header)`);
    const retired = revocations?.keyRefusal(header.kid);
    if (retired) throw new RevokedToken(retired);
    return getKey(header, token);
  };
  return {
    async verify(token: string): Promise<Identity> {
      let identity: Identity;
      try {
        const { payload, protectedHeader } = await jwtVerify(token, pinnedKey, {
          issuer,
          audience,
          algorithms: [TOKEN_ALGORITHM],
          typ: 'JWT',
          requiredClaims: ['exp', 'iat', 'sub'],
          clockTolerance: CLOCK_TOLERANCE_S,
        });
        if (typeof payload.sub !== 'string' || payload.sub === '') {
          throw new Error('token has no subject');
        }
        const scope = typeof payload['scope'] === 'string' ? payload['scope'] : '';
        identity = {
          userId: payload.sub,
          email: typeof payload['email'] === 'string' ? payload['email'] : undefined,
          scopes: new Set(scope.split(' ').filter(Boolean)),
          token,
          sessionId: typeof payload['sid'] === 'string' ? payload['sid'] : undefined,
          expiresAt: (payload.exp! + CLOCK_TOLERANCE_S) * 1_000,
        };
        if (revocations) {
          const facts = {
            userId: identity.userId,
            sessionId: identity.sessionId,
            issuedAt: payload.iat! * 1_000,
            keyId: protectedHeader.kid,
          };
          const refusal = revocations.refusal(facts);
          if (refusal) throw new RevokedToken(refusal);
          identity.whenRevoked = (listener) => revocations.watch(facts, listener);
        }
      } catch (error) {
        throw codedError('UNAUTHENTICATED', invalidTokenMessage(error as Error), { cause: error });
      }
      return identity;
    },
  } satisfies IdentityVerifier;
}

class RevokedToken extends Error {}

/** Verifies against a remote JWKS, fetched once and cached; refetched for an unknown key id,
 * at most once per JWKS_COOLDOWN_MS (the security subgraph publishes its next key before it
 * signs with it, so an honest token's key is known before it is first seen). */
export function createJwksVerifier(jwksUrl: string, options: VerifierOptions): IdentityVerifier {
  const keys = createRemoteJWKSet(new URL(jwksUrl), {
    cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
    cooldownDuration: JWKS_COOLDOWN_MS,
  });
  return verifierFromKeys(keys, options);
}

/** How long a verifier may keep believing a key the JWKS no longer lists: its cache of the
 * JWKS, and the JWKS's own Cache-Control. A retired key's revocation is held that long. */
export const JWKS_STALENESS_MS = JWKS_CACHE_MAX_AGE_MS + 5 * 60_000;

export interface EdgeIdentitySettings extends VerifierOptions {
  jwksUrl: string;
  /** The security subgraph's feed of revocations. */
  revocationsUrl: string;
  revocationPollMs: number;
}

/** The verifier of a service other than the security subgraph: the JWKS, and the revocations
 * followed from the security subgraph's feed (and Redis, when set). */
export function createEdgeVerifier(
  { jwksUrl, revocationsUrl, revocationPollMs, ...options }: EdgeIdentitySettings,
  { logger, redisUrl }: { logger: Logger; redisUrl?: string | undefined },
): IdentityVerifier & { revocations: RevocationList; follower: RevocationFollower } {
  const revocations = new RevocationList();
  const follower = followRevocations(revocations, {
    load: httpRevocationFeed(revocationsUrl),
    intervalMs: revocationPollMs,
    redisUrl,
    logger,
  });
  return {
    ...createJwksVerifier(jwksUrl, { ...options, revocations }),
    revocations,
    follower,
    close: () => follower.close(),
  };
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
