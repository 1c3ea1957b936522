// What the security subgraph's resolvers receive.
import type { BaseContext, Database, RateLimit } from '@supergraph/kit';
import type DataLoader from 'dataloader';
import type { tables, UserRow } from './db/schema.js';
import type { SessionLifetimes } from './db/sessions.js';
import type { KeyStore } from './keys.js';
import type { RelyingParty } from './sso/oidc.js';
import type { SsoSettings } from './sso/settings.js';

export interface SecurityContext extends BaseContext {
  db: Database<typeof tables>;
  keys: KeyStore;
  tokenTtlSeconds: number;
  sessionLifetimes: SessionLifetimes;
  users: DataLoader<string, UserRow | null>;
  rolesOf: DataLoader<string, string[]>;
  /** Users the caller proved to be in this request (by signing up or logging in). */
  provenUserIds: Set<string>;
  /** Failed logins per account (limitAttempt). */
  loginAttempts: RateLimit;
  /** Single sign-on: its settings and the OpenID Connect client (discovery kept per provider). */
  sso: { settings: SsoSettings; relyingParty: RelyingParty };
}
