// Settings of the security subgraph, parsed once from the environment by main.ts.
import {
  DEMO_USER_DEFAULTS,
  loadConfig,
  optionalBooleanSetting,
  originList,
  subgraphConfig,
  subgraphEnvShape,
} from '@supergraph/kit';
import { z } from 'zod';
import { defaultGraceSeconds } from './keys.js';
import { MFA_DEFAULTS, type MfaSettings } from './mfa-settings.js';
import { ssoEnvShape, ssoSettingsOf } from './sso/settings.js';
import {
  SIGN_IN_THROTTLE_DEFAULTS,
  type SignInThrottleSettings,
} from './sign-in-throttle-settings.js';

export const envSchema = z.object({
  ...subgraphEnvShape('security', 4003),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(900),
  /** How long a refresh token may wait to be exchanged (default 14 days). */
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(1_209_600),
  /** How long a session lasts at most from its login (default 30 days). */
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(2_592_000),
  /** Scheduled rotation of the token-signing key after it has signed this long (default 30
   * days); 0 rotates on demand only (`rotateSigningKey`). */
  SIGNING_KEY_ROTATION_SECONDS: z.coerce.number().int().min(0).default(2_592_000),
  /** How long tokens of a rotated-out key stay accepted (default: the token lifetime, plus
   * the key refresh interval and clock tolerance). */
  SIGNING_KEY_GRACE_SECONDS: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number().int().min(0).optional(),
  ),
  /** How often each replica reads the signing keys again (another may have rotated them). */
  SIGNING_KEY_REFRESH_MS: z.coerce.number().int().min(100).default(30_000),
  /** Create the demo admin at start (default: in development only). */
  DEMO_USER: optionalBooleanSetting,
  DEMO_USER_EMAIL: z.string().email().default(DEMO_USER_DEFAULTS.email),
  DEMO_USER_PASSWORD: z.string().min(8).default(DEMO_USER_DEFAULTS.password),
  /** How long the challenge of a login that awaits its second factor lasts (default 5 min). */
  MFA_CHALLENGE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(30)
    .max(3_600)
    .default(MFA_DEFAULTS.challengeTtlSeconds),
  /** The issuer an authenticator app shows next to the account. */
  MFA_TOTP_ISSUER: z.string().min(1).max(100).default(MFA_DEFAULTS.issuer),
  /** Passkeys: the relying party's id, a domain (the site's host or a parent of it). */
  WEBAUTHN_RP_ID: z.string().trim().min(1).default('localhost'),
  /** Passkeys: the name authenticators show beside the account. */
  WEBAUTHN_RP_NAME: z.string().trim().min(1).default('Supergraph'),
  /** Passkeys: the web origins whose pages may register and use them (comma-separated). */
  WEBAUTHN_ORIGINS: originList
    .default('http://localhost:4000')
    .refine((origins) => origins.length > 0 && !origins.includes('*'), {
      message: 'must name at least one origin, and no `*`: a passkey is bound to its site',
    }),
  /** Passkeys: how long a registration or sign-in challenge may wait to be answered. */
  WEBAUTHN_CHALLENGE_TTL_SECONDS: z.coerce.number().int().min(10).max(3_600).default(300),
  /** Single sign-on with OpenID Connect (sso/settings.ts). */
  ...ssoEnvShape,
  /** Brute force (sign-in-throttle.ts): failed sign-ins per account, then a lock. */
  SIGN_IN_ACCOUNT_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .default(SIGN_IN_THROTTLE_DEFAULTS.accountFailures),
  /** Failed sign-ins per client address, across accounts, then a lock of that address. */
  SIGN_IN_IP_FAILURES: z.coerce.number().int().min(1).default(SIGN_IN_THROTTLE_DEFAULTS.ipFailures),
  /** The window in which failures add up (and after which a quiet key starts afresh). */
  SIGN_IN_FAILURE_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(SIGN_IN_THROTTLE_DEFAULTS.windowSeconds),
  /** The first lock's length; each further failure within the window doubles it. */
  SIGN_IN_LOCK_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(SIGN_IN_THROTTLE_DEFAULTS.lockSeconds),
  /** The longest lock. */
  SIGN_IN_MAX_LOCK_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(SIGN_IN_THROTTLE_DEFAULTS.maxLockSeconds),
  /** Mail (mail/): SMTP server URL (smtp://user:pass@host:587, smtps://…); unset: the
   * development sink, which prints each mail's link in the log. */
  SMTP_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().url().optional(),
  ),
  /** The sender of the mails. */
  MAIL_FROM: z.string().trim().min(3).default('Supergraph <no-reply@localhost>'),
  /** Where the links in mails point: the app's pages /reset-password and /verify-email. */
  PUBLIC_APP_URL: z
    .string()
    .url()
    .default('http://localhost:4000')
    .transform((url) => url.replace(/\/+$/, '')),
  /** How long a password reset link works (default 30 min). */
  PASSWORD_RESET_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(1_800),
  /** How often the outbox dispatcher looks for mails to send (it also looks at once after a
   * request wrote one). */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(5_000),
  /** `instant`: signUp answers tokens, a taken address CONFLICT. `verify-email`: signUp answers
   * EMAIL_VERIFICATION_REQUIRED for a new and a taken address alike and mails the address
   * (default: verify-email in production, instant elsewhere). */
  SIGN_UP_MODE: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.enum(['instant', 'verify-email']).optional(),
  ),
  /** How long an address verification link works (default 1 day). */
  EMAIL_VERIFICATION_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
});

export type SecurityConfig = ReturnType<typeof toSecurityConfig>;

export function toSecurityConfig(env: z.infer<typeof envSchema>) {
  return {
    ...subgraphConfig('security', env),
    tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
    sessions: {
      refreshTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      sessionTtlSeconds: env.SESSION_TTL_SECONDS,
      accessTtlSeconds: env.TOKEN_TTL_SECONDS,
    },
    signingKeys: {
      rotationSeconds: env.SIGNING_KEY_ROTATION_SECONDS,
      graceSeconds:
        env.SIGNING_KEY_GRACE_SECONDS ??
        defaultGraceSeconds(env.TOKEN_TTL_SECONDS, env.SIGNING_KEY_REFRESH_MS),
      refreshMs: env.SIGNING_KEY_REFRESH_MS,
    },
    /** Created with the admin role at start: in development, or when DEMO_USER=true. */
    demoUser:
      (env.DEMO_USER ?? env.NODE_ENV === 'development')
        ? { email: env.DEMO_USER_EMAIL, password: env.DEMO_USER_PASSWORD }
        : undefined,
    /** Two-factor sign-in (mfa.ts). */
    mfa: {
      challengeTtlSeconds: env.MFA_CHALLENGE_TTL_SECONDS,
      issuer: env.MFA_TOTP_ISSUER,
    } satisfies MfaSettings,
    /** Passkeys (WebAuthn): who the relying party is and where its pages are. */
    webauthn: {
      rpId: env.WEBAUTHN_RP_ID,
      rpName: env.WEBAUTHN_RP_NAME,
      origins: env.WEBAUTHN_ORIGINS,
      challengeTtlSeconds: env.WEBAUTHN_CHALLENGE_TTL_SECONDS,
    },
    ...ssoSettingsOf(env),
    /** Brute force: failed sign-ins per account and per address, and their locks. */
    signInThrottle: {
      accountFailures: env.SIGN_IN_ACCOUNT_FAILURES,
      ipFailures: env.SIGN_IN_IP_FAILURES,
      windowSeconds: env.SIGN_IN_FAILURE_WINDOW_SECONDS,
      lockSeconds: env.SIGN_IN_LOCK_SECONDS,
      maxLockSeconds: Math.max(env.SIGN_IN_MAX_LOCK_SECONDS, env.SIGN_IN_LOCK_SECONDS),
    } satisfies SignInThrottleSettings,
    /** Mails of password resets and address verification, and where they are sent. */
    mail: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      publicAppUrl: env.PUBLIC_APP_URL,
      passwordResetTtlSeconds: env.PASSWORD_RESET_TTL_SECONDS,
      outboxPollMs: env.OUTBOX_POLL_MS,
      emailVerificationTtlSeconds: env.EMAIL_VERIFICATION_TTL_SECONDS,
      signUpMode: env.SIGN_UP_MODE ?? (env.NODE_ENV === 'production' ? 'verify-email' : 'instant'),
    },
  };
}

export const parseConfig = (env: Record<string, string | undefined>): SecurityConfig =>
  toSecurityConfig(loadConfig(envSchema, env));
