// Tables of the security subgraph: users, roles and grants, the token-signing keys, and the
// sessions with their refresh tokens.
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** When the user proved the address is theirs (a verification or password reset link). */
  emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
});

export const roles = pgTable('roles', {
  name: text('name').primaryKey(),
  description: text('description').notNull(),
  scopes: text('scopes').array().notNull(),
});

export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roleName: text('role_name')
      .notNull()
      .references(() => roles.name),
  },
  (table) => [primaryKey({ columns: [table.userId, table.roleName] })],
);

/** Token-signing keys: the `next` one is published before it signs, the `current` one signs,
 * and a `retired` one stays published for its grace after it stopped signing. */
export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  algorithm: text('algorithm').notNull(),
  publicJwk: jsonb('public_jwk').notNull(),
  privateJwk: jsonb('private_jwk').notNull(),
  state: text('state', { enum: ['next', 'current', 'retired'] }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** When it started signing. */
  activatedAt: timestamp('activated_at', { withTimezone: true }),
  /** When it stopped signing. */
  retiredAt: timestamp('retired_at', { withTimezone: true }),
  /** Tokens it signed are refused from then on (the end of its grace, or at once). */
  acceptedUntil: timestamp('accepted_until', { withTimezone: true }),
});

/** A signed-in device: the family of the refresh tokens issued since its login. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    userAgent: text('user_agent'),
    ip: text('ip'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
    /** No refresh past it, however recently the session was used. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** logout, revoked, revoked-by-admin, refresh-token-reuse */
    revokedReason: text('revoked_reason'),
  },
  (table) => [index('sessions_user_id_idx').on(table.userId)],
);

/** Refresh tokens, stored as SHA-256 hashes; each is used once, for the next one. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set when it was exchanged; a second exchange is reuse, a sign of theft. */
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [index('refresh_tokens_session_id_idx').on(table.sessionId)],
);

/** Revoked sessions, users' earlier tokens and retired keys, served to every verifier at
 * /revocations until `expiresAt`, when no token they cover can still be accepted. */
export const revocations = pgTable(
  'revocations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['session', 'user', 'key'] }).notNull(),
    /** The session id, user id or key id. */
    subject: text('subject').notNull(),
    /** For `user`: tokens issued before it are refused. */
    issuedBefore: timestamp('issued_before', { withTimezone: true }),
    /** For `key`: tokens are refused from then on. */
    startsAt: timestamp('starts_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('revocations_created_at_idx').on(table.createdAt)],
);

/** A user's TOTP authenticator (two-factor sign-in): pending until a first code confirms it. */
export const totpFactors = pgTable('totp_factors', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The base32 shared secret. Plain text for now: issue 14 adds envelope encryption. */
  secret: text('secret').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** Null while pending: the factor guards nothing until it is confirmed. */
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  /** The time step (Unix time / 30 s) of the last accepted code: only a later one is accepted
   * next, so that a code seen over a shoulder or in a log cannot be replayed. */
  lastUsedStep: integer('last_used_step'),
});

/** Single-use recovery codes, stored as SHA-256 of the user id and the code (60 random bits). */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [index('recovery_codes_user_id_idx').on(table.userId)],
);

/** Logins that await their second factor: random tokens stored as SHA-256, each used once. */
export const mfaChallenges = pgTable(
  'mfa_challenges',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [index('mfa_challenges_user_id_idx').on(table.userId)],
);

/** Binary data (a credential's public key), as PostgreSQL bytea. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/** Passkeys (WebAuthn credentials): each signs its user in with its private key, which never
 * leaves the authenticator; here only its public key and signature counter. */
export const passkeys = pgTable(
  'passkeys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The authenticator's credential id, base64url: what a sign-in names. */
    credentialId: text('credential_id').notNull().unique(),
    /** COSE-encoded public key. */
    publicKey: bytea('public_key').notNull(),
    /** The authenticator's signature counter; 0 for those that keep none. */
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: text('transports').array().notNull().default([]),
    /** singleDevice or multiDevice (synced, e.g. by a password manager). */
    deviceType: text('device_type').notNull(),
    backedUp: boolean('backed_up').notNull(),
    /** The authenticator model's AAGUID (all zeros when it does not say). */
    aaguid: text('aaguid').notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (table) => [index('passkeys_user_id_idx').on(table.userId)],
);

/** Challenges of passkey ceremonies: short-lived, each answered once. */
export const webauthnChallenges = pgTable(
  'webauthn_challenges',
  {
    /** base64url, as the authenticator signs it inside clientDataJSON. */
    challenge: text('challenge').primaryKey(),
    /** registration or login */
    purpose: text('purpose').notNull(),
    /** The user registering, or the one a sign-in was started for (null: any passkey). */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('webauthn_challenges_expires_at_idx').on(table.expiresAt)],
);

/** External OpenID Connect providers people may sign in with (single sign-on). */
export const identityProviders = pgTable('identity_providers', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** What sign-ins name the provider by (`startSsoLogin(provider:)`). */
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  issuer: text('issuer').notNull(),
  clientId: text('client_id').notNull(),
  /** Write-only through the API. Stored in plain text until secrets get envelope encryption
   * (issue 14). */
  clientSecret: text('client_secret').notNull(),
  scopes: text('scopes').array().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Started sign-ins waiting for their callback: each is used once, before it expires. */
export const ssoLogins = pgTable(
  'sso_logins',
  {
    /** SHA-256 of the state: a copy of the table does not let anyone finish a sign-in. */
    stateHash: text('state_hash').primaryKey(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => identityProviders.id, { onDelete: 'cascade' }),
    codeVerifier: text('code_verifier').notNull(),
    nonce: text('nonce').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('sso_logins_expires_at_idx').on(table.expiresAt)],
);

/** A user's accounts at identity providers, by (issuer, subject): the email may change. */
export const userIdentities = pgTable(
  'user_identities',
  {
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The provider of the last sign-in; a deleted provider leaves the link (by issuer). */
    providerId: uuid('provider_id').references(() => identityProviders.id, {
      onDelete: 'set null',
    }),
    /** The address the provider gave at the last sign-in. */
    email: text('email'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.issuer, table.subject] }),
    index('user_identities_user_id_idx').on(table.userId),
  ],
);

/** What happened to accounts and their credentials, for the audit log (issue 14 chains and
 * signs these): sign-ins and their failures, factor changes, sessions ended, keys rotated. */
export const securityEvents = pgTable(
  'security_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    /** e.g. sign-in.succeeded, mfa.totp-enabled, session.revoked, signing-key.rotated */
    type: text('type').notNull(),
    /** The account it is about, when there is one (not a foreign key: a deleted user's
     * events stay). */
    userId: uuid('user_id'),
    /** Who did it, when not the user themself (an administrator). */
    actorId: uuid('actor_id'),
    /** The client's address and user agent, as the router forwarded them. */
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** More about it, never a secret: a method, a reason, an id. */
    details: jsonb('details').notNull().default({}),
  },
  (table) => [
    index('security_events_user_id_idx').on(table.userId, table.occurredAt),
    index('security_events_occurred_at_idx').on(table.occurredAt),
  ],
);

/** Failed sign-in attempts per key (`account:<normalized email>`, known or not, and
 * `ip:<client address>`), in the database so that every replica counts the same; a key over
 * its budget is locked for a while that doubles with each further lock. On account keys it
 * also keeps what the owner is told at their next sign-in. */
export const signInThrottles = pgTable('sign_in_throttles', {
  key: text('key').primaryKey(),
  /** Attempts of the current window, including those in flight (taken before the check). */
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  /** How many locks in a row (without a quiet window between): the next one lasts twice as long. */
  lockLevel: integer('lock_level').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  /** For the owner's notice: failures since their last sign-in, the last one, the last lock. */
  unseenFailures: integer('unseen_failures').notNull().default(0),
  lastFailedAt: timestamp('last_failed_at', { withTimezone: true }),
  lastLockedUntil: timestamp('last_locked_until', { withTimezone: true }),
});

/** One-time tokens sent by email (a password reset, an address to verify): 32 random bytes,
 * stored as their SHA-256, each spent once before it expires. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** `password-reset` or `email-verification`. */
    purpose: text('purpose').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [index('email_tokens_user_id_idx').on(table.userId, table.purpose)],
);

/** Mails to send, written in the transaction of what they tell (so none is lost when the
 * process dies before sending) and sent by the outbox dispatcher of any replica. */
export const outboxEmails = pgTable(
  'outbox_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** When a dispatcher may take it: now, after a failure's backoff, or after a claim's
     * lease (a dispatcher that died while sending). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (table) => [index('outbox_emails_next_attempt_at_idx').on(table.sentAt, table.nextAttemptAt)],
);

export type UserRow = typeof users.$inferSelect;
export type SigningKeyRow = typeof signingKeys.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type TotpFactorRow = typeof totpFactors.$inferSelect;
export type PasskeyRow = typeof passkeys.$inferSelect;
export type IdentityProviderRow = typeof identityProviders.$inferSelect;

export const tables = {
  users,
  roles,
  userRoles,
  signingKeys,
  sessions,
  refreshTokens,
  revocations,
  totpFactors,
  recoveryCodes,
  mfaChallenges,
  passkeys,
  webauthnChallenges,
  identityProviders,
  ssoLogins,
  userIdentities,
  securityEvents,
  signInThrottles,
  emailTokens,
  outboxEmails,
};
