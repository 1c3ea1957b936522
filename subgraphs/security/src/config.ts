// Settings of the security subgraph, parsed once from the environment by main.ts.
import {
  DEMO_USER_DEFAULTS,
  loadConfig,
  optionalBooleanSetting,
  loginRateLimitEnvShape,
  loginRateLimitOf,
  subgraphConfig,
  subgraphEnvShape,
} from '@supergraph/kit';
import { z } from 'zod';
import { ssoEnvShape, ssoSettingsOf } from './sso/settings.js';

export const envSchema = z.object({
  ...subgraphEnvShape('security', 4003),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(900),
  /** How long a refresh token may wait to be exchanged (default 14 days). */
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(1_209_600),
  /** How long a session lasts at most from its login (default 30 days). */
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(2_592_000),
  /** Create the demo admin at start (default: in development only). */
  DEMO_USER: optionalBooleanSetting,
  DEMO_USER_EMAIL: z.string().email().default(DEMO_USER_DEFAULTS.email),
  DEMO_USER_PASSWORD: z.string().min(8).default(DEMO_USER_DEFAULTS.password),
  ...loginRateLimitEnvShape,
  /** Single sign-on with OpenID Connect (sso/settings.ts). */
  ...ssoEnvShape,
});

export type SecurityConfig = ReturnType<typeof toSecurityConfig>;

export function toSecurityConfig(env: z.infer<typeof envSchema>) {
  return {
    ...subgraphConfig('security', env),
    tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
    sessions: {
      refreshTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      sessionTtlSeconds: env.SESSION_TTL_SECONDS,
    },
    /** Failed logins per account, also for a caller that reaches this subgraph directly. */
    loginRateLimit: loginRateLimitOf(env),
    /** Created with the admin role at start: in development, or when DEMO_USER=true. */
    demoUser:
      (env.DEMO_USER ?? env.NODE_ENV === 'development')
        ? { email: env.DEMO_USER_EMAIL, password: env.DEMO_USER_PASSWORD }
        : undefined,
    ...ssoSettingsOf(env),
  };
}

export const parseConfig = (env: Record<string, string | undefined>): SecurityConfig =>
  toSecurityConfig(loadConfig(envSchema, env));
