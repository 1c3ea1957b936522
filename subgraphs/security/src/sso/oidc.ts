// The OpenID Connect relying party, on openid-client 6: discovery of a provider (kept per
// version of its row), the authorization URL with PKCE (S256), state and nonce, and the code
// exchange with every check openid-client makes (state, PKCE, ID token signature, issuer,
// audience, nonce, expiry). What goes wrong at the provider becomes a coded error.
import { codedError } from '@supergraph/kit';
import type { GraphQLError } from 'graphql';
import * as client from 'openid-client';
import type { IdentityProviderRow } from '../db/schema.js';
import type { SsoSettings } from './settings.js';

/** How long a provider's discovery document is believed before it is fetched again. */
const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why an issuer may not be used, or undefined when it may. */
export function issuerRefusal(issuer: string, settings: SsoSettings): string | undefined {
  const url = URL.canParse(issuer) ? new URL(issuer) : undefined;
  if (!url || url.search || url.hash) return 'must be an absolute URL without query or fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return 'must be an https URL';
  if (LOOPBACK_HOSTS.has(url.hostname) || settings.allowHttpIssuers) return undefined;
  return 'must be an https URL (plain http only on loopback, or with SSO_ALLOW_HTTP_ISSUERS=true)';
}

/** Who the provider says signed in. */
export interface ProvenClaims {
  /** The issuer the ID token was checked against (the discovered one). */
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
}

/** What a started sign-in must keep until its callback. */
export interface StartedLogin {
  authorizationUrl: URL;
  state: string;
  codeVerifier: string;
  nonce: string;
}

export interface CallbackChecks {
  redirectUri: string;
  codeVerifier: string;
  nonce: string;
  expectedState: string;
}

export type RelyingParty = ReturnType<typeof createRelyingParty>;

export function createRelyingParty(settings: SsoSettings) {
  const discovered = new Map<
    string,
    { version: number; expiresAt: number; config: Promise<client.Configuration> }
  >();

  /** The provider's client configuration; discovery runs once per version and hour. */
  function configurationOf(provider: IdentityProviderRow): Promise<client.Configuration> {
    const version = provider.updatedAt.getTime();
    const cached = discovered.get(provider.id);
    if (cached && cached.version === version && cached.expiresAt > Date.now()) {
      return cached.config;
    }
    const config = discover(provider, settings);
    discovered.set(provider.id, { version, expiresAt: Date.now() + DISCOVERY_TTL_MS, config });
    // A failed discovery is not kept: the next sign-in tries again.
    config.catch(() => {
      if (discovered.get(provider.id)?.config === config) discovered.delete(provider.id);
    });
    return config;
  }

  return {
    async start(provider: IdentityProviderRow, redirectUri: string): Promise<StartedLogin> {
      const config = await configurationOf(provider);
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const authorizationUrl = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: provider.scopes.join(' '),
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { authorizationUrl, state, codeVerifier, nonce };
    },

    /** Exchanges the code of the callback (its query parameters) and answers who signed in. */
    async finish(
      provider: IdentityProviderRow,
      callbackParams: URLSearchParams,
      checks: CallbackChecks,
    ): Promise<ProvenClaims> {
      const config = await configurationOf(provider);
      // The redirect URI the sign-in was started with, not whatever the caller's URL says.
      const currentUrl = new URL(checks.redirectUri);
      currentUrl.search = callbackParams.toString();
      try {
        const tokens = await client.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.expectedState,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        const idToken = tokens.claims()!;
        let source: Record<string, unknown> = idToken;
        // Many providers put the profile in the userinfo answer only, not in the ID token.
        if (idToken.email === undefined && config.serverMetadata().userinfo_endpoint) {
          source = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
        }
        return {
          issuer: idToken.iss,
          subject: idToken.sub,
          email: typeof source.email === 'string' ? source.email : undefined,
          // Some providers send the string "true".
          emailVerified: source.email_verified === true || source.email_verified === 'true',
          name: typeof source.name === 'string' ? source.name : undefined,
        };
      } catch (error) {
        throw exchangeError(provider, error);
      }
    },
  };
}

async function discover(
  provider: IdentityProviderRow,
  settings: SsoSettings,
): Promise<client.Configuration> {
  const refusal = issuerRefusal(provider.issuer, settings);
  if (refusal) {
    throw codedError('BAD_USER_INPUT', `The issuer of ${provider.name} ${refusal}.`, {
      extensions: { field: 'provider' },
    });
  }
  const insecure = new URL(provider.issuer).protocol === 'http:';
  let metadata: client.ServerMetadata;
  try {
    const found = await client.discovery(
      new URL(provider.issuer),
      provider.clientId,
      undefined,
      undefined,
      {
        timeout: settings.timeoutSeconds,
        execute: insecure ? [client.allowInsecureRequests] : [],
      },
    );
    metadata = found.serverMetadata();
  } catch (error) {
    throw unreachable(provider, error) ?? upstreamError(provider, 'discovery', error);
  }
  // client_secret_basic is what a provider supports when it names no method (RFC 8414).
  const methods = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  const authentication = methods.includes('client_secret_basic')
    ? client.ClientSecretBasic(provider.clientSecret)
    : client.ClientSecretPost(provider.clientSecret);
  const config = new client.Configuration(
    metadata,
    provider.clientId,
    provider.clientSecret,
    authentication,
  );
  config.timeout = settings.timeoutSeconds;
  if (insecure) client.allowInsecureRequests(config);
  return config;
}

// Errors of fetch come from Node's own realm (not jest's sandbox, in tests): they are
// recognised by their shape, not by instanceof.
const asError = (error: unknown) =>
  typeof error === 'object' && error !== null
    ? (error as { name?: unknown; message?: unknown; cause?: unknown; status?: unknown })
    : {};
const messageOf = (error: unknown) => String(asError(error).message ?? error);

/** A failed fetch (refused, reset, timed out), also when wrapped as the cause of another. */
function isNetworkFailure(name: unknown, message: unknown, cause: unknown, depth = 0): boolean {
  if ((name === 'TypeError' && message === 'fetch failed') || name === 'TimeoutError') return true;
  if (name === 'AbortError') return true;
  const inner = asError(cause);
  return (
    depth < 3 &&
    cause !== undefined &&
    isNetworkFailure(inner.name, inner.message, inner.cause, depth + 1)
  );
}

/** UPSTREAM_UNAVAILABLE when the provider could not be reached or failed (5xx, timeout). */
function unreachable(provider: IdentityProviderRow, error: unknown): GraphQLError | undefined {
  const { name, message, cause, status } = asError(error);
  const causeStatus = asError(cause).status;
  const failedStatus =
    (error instanceof client.ResponseBodyError && typeof status === 'number' && status >= 500) ||
    (typeof causeStatus === 'number' && causeStatus >= 500);
  if (!failedStatus && !isNetworkFailure(name, message, cause)) return undefined;
  return codedError(
    'UPSTREAM_UNAVAILABLE',
    `The identity provider ${provider.name} could not be reached or failed; try again later.`,
    { extensions: { provider: provider.slug }, cause: error },
  );
}

function upstreamError(provider: IdentityProviderRow, step: string, error: unknown) {
  return codedError(
    'UPSTREAM_ERROR',
    `The identity provider ${provider.name} answered the ${step} with something unusable: ${messageOf(error)}.`,
    { extensions: { provider: provider.slug }, cause: error },
  );
}

/** Answers that do not parse are the provider's fault; refused checks mean no sign-in. */
const UNUSABLE_ANSWERS = new Set([
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_RESPONSE_IS_NOT_JSON',
  'OAUTH_PARSE_ERROR',
]);

function exchangeError(provider: IdentityProviderRow, error: unknown): GraphQLError {
  const down = unreachable(provider, error);
  if (down) return down;
  if (error instanceof client.ResponseBodyError) {
    // invalid_grant: a wrong PKCE verifier, a used or expired code, another redirect URI.
    const detail = error.error_description
      ? `${error.error} (${error.error_description})`
      : error.error;
    return codedError(
      'UNAUTHENTICATED',
      `${provider.name} refused the sign-in code: ${detail}. Start the sign-in again.`,
      { extensions: { provider: provider.slug, reason: error.error }, cause: error },
    );
  }
  if (error instanceof client.AuthorizationResponseError) {
    return codedError(
      'UNAUTHENTICATED',
      `${provider.name} did not sign you in: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}.`,
      { extensions: { provider: provider.slug, reason: error.error }, cause: error },
    );
  }
  if (error instanceof client.ClientError) {
    if (error.code && UNUSABLE_ANSWERS.has(error.code)) {
      return upstreamError(provider, 'sign-in', error);
    }
    // A state that does not match, an ID token with a bad signature, issuer, audience or nonce.
    const reason = messageOf(error.cause ?? error);
    return codedError(
      'UNAUTHENTICATED',
      `The answer of ${provider.name} failed a check: ${reason}. Start the sign-in again.`,
      { extensions: { provider: provider.slug, reason: error.code }, cause: error },
    );
  }
  throw error;
}
