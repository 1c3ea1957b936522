// What the security subgraph's resolvers receive.
import type { BaseContext, Database } from '@supergraph/kit';
import type DataLoader from 'dataloader';
import type { tables, UserRow } from './db/schema.js';
import type { SessionLifetimes } from './db/sessions.js';
import type { KeyStore } from './keys.js';
import type { Revocations } from './revocations.js';
import type { MfaSettings } from './mfa-settings.js';
import type { WebAuthnSettings } from './passkeys.js';
import type { RelyingParty } from './sso/oidc.js';
import type { SsoSettings } from './sso/settings.js';
import type { SignInThrottleSettings } from './sign-in-throttle-settings.js';
import type { AccountMail } from './account-mail.js';

export interface SecurityContext extends BaseContext {
  db: Database<typeof tables>;
  keys: KeyStore;
  /** Announces revocations to every verifier. */
  revocations: Pick<Revocations, 'announce'>;
  tokenTtlSeconds: number;
  sessionLifetimes: SessionLifetimes;
  users: DataLoader<string, UserRow | null>;
  rolesOf: DataLoader<string, string[]>;
  /** Users the caller proved to be in this request (by signing up or logging in). */
  provenUserIds: Set<string>;
  /** Two-factor sign-in: its settings and the clock of its codes and challenges (epoch ms). */
  mfa: MfaSettings & { now: () => number };
  /** Passkeys: the relying party and its origins. */
  webauthn: WebAuthnSettings;
  /** Single sign-on: its settings and the OpenID Connect client (discovery kept per provider). */
  sso: { settings: SsoSettings; relyingParty: RelyingParty };
  /** Failed sign-ins per account and per client address (sign-in-throttle.ts), and its clock. */
  signInThrottle: SignInThrottleSettings & { now: () => number };
  /** Mails with one-time links (password reset, address verification): settings, outbox. */
  accountMail: AccountMail;
}
