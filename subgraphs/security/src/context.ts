// What the security subgraph's resolvers receive.
import type { BaseContext, Database, RateLimit } from '@supergraph/kit';
import type DataLoader from 'dataloader';
import type { tables, UserRow } from './db/schema.js';
import type { SessionLifetimes } from './db/sessions.js';
import type { KeyStore } from './keys.js';
import type { WebAuthnSettings } from './passkeys.js';

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
  /** Passkeys: the relying party and its origins. */
  webauthn: WebAuthnSettings;
}
