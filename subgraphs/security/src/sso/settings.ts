// Settings of single sign-on with OpenID Connect: where an identity provider may send the
// browser back to, how long a started sign-in waits, and which issuers may be plain HTTP.
import { optionalBooleanSetting } from '@supergraph/kit';
import { z } from 'zod';

export const SSO_DEFAULTS = {
  /** Exact redirect URIs a sign-in may name; anything else would let a link send codes away. */
  redirectUris: ['http://localhost:4000/'],
  /** A started sign-in (its state, PKCE verifier and nonce) waits this long for its callback. */
  loginTtlSeconds: 600,
  /** Plain-HTTP issuers anywhere (not only on loopback): development only by default. */
  allowHttpIssuers: false,
  /** Each request to an identity provider (discovery, token, userinfo) gives up after this. */
  timeoutSeconds: 10,
};

export type SsoSettings = typeof SSO_DEFAULTS;

/** A comma-separated list of absolute http(s) URLs, compared as `new URL(...).href`. */
const redirectUriList = z
  .string()
  .default(SSO_DEFAULTS.redirectUris.join(','))
  .transform((value, ctx) => {
    const uris: string[] = [];
    for (const part of value.split(',').map((item) => item.trim())) {
      if (!part) continue;
      const url = URL.canParse(part) ? new URL(part) : undefined;
      if (!url || !['http:', 'https:'].includes(url.protocol) || url.hash) {
        ctx.addIssue({ code: 'custom', message: `${part} is not an http(s) URL without #` });
        return z.NEVER;
      }
      uris.push(url.href);
    }
    return uris;
  });

export const ssoEnvShape = {
  SSO_REDIRECT_URIS: redirectUriList,
  SSO_LOGIN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(30)
    .max(3_600)
    .default(SSO_DEFAULTS.loginTtlSeconds),
  /** true or false; unset: allowed unless NODE_ENV is production. */
  SSO_ALLOW_HTTP_ISSUERS: optionalBooleanSetting,
  SSO_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(SSO_DEFAULTS.timeoutSeconds),
};

type SsoEnv = z.output<z.ZodObject<typeof ssoEnvShape>> & { NODE_ENV: string };

export function ssoSettingsOf(env: SsoEnv): { sso: SsoSettings } {
  return {
    sso: {
      redirectUris: env.SSO_REDIRECT_URIS,
      loginTtlSeconds: env.SSO_LOGIN_TTL_SECONDS,
      allowHttpIssuers: env.SSO_ALLOW_HTTP_ISSUERS ?? env.NODE_ENV !== 'production',
      timeoutSeconds: env.SSO_TIMEOUT_SECONDS,
    },
  };
}
