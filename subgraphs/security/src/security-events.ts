// The one call site of security events: each is a row of security_events (which the audit
// log of issue 14 chains and signs) and a structured log line. Recording never fails the
// operation it records: a failed insert is logged as an error with the event.
import { routedClient, type ClientRequestContext, type Database } from '@supergraph/kit';
import type { SecurityContext } from './context.js';
import { securityEvents, type tables } from './db/schema.js';

export type SecurityEventType =
  | 'user.signed-up'
  | 'sign-in.succeeded'
  | 'sign-in.failed'
  | 'session.logout'
  | 'session.revoked'
  | 'session.refresh-token-reused'
  | 'signing-key.rotated'
  | 'mfa.totp-enrollment-started'
  | 'mfa.totp-enabled'
  | 'mfa.totp-disabled'
  | 'mfa.recovery-codes-regenerated'
  | 'mfa.recovery-code-used'
  | 'mfa.challenge-issued'
  | 'mfa.login-completed'
  | 'mfa.failed'
  | 'passkey.registered'
  | 'passkey.removed'
  | 'passkey.registration-refused'
  | 'sso.identity-linked'
  | 'sso.provider-changed'
  | 'sign-in.locked'
  | 'password-reset.requested'
  | 'password.reset'
  | 'user.email-verified';

export interface SecurityEvent {
  type: SecurityEventType;
  /** The account it is about, when there is one. */
  userId?: string | null;
  /** Who did it, when not the user themself (an administrator). */
  actorId?: string | null;
  /** More about it, never a secret: a method, a reason, what the code was for. */
  details?: Record<string, string | number | boolean | null>;
}

export async function recordSecurityEvent(
  context: Pick<SecurityContext, 'logger'> & { db: Database<typeof tables> },
  { type, userId = null, actorId = null, details = {} }: SecurityEvent,
): Promise<void> {
  const client = context as ClientRequestContext;
  const from = client.request || client.req ? routedClient(client) : undefined;
  const row = {
    type,
    userId,
    actorId,
    ip: from?.address.slice(0, 64) ?? null,
    userAgent: from?.userAgent?.slice(0, 512) ?? null,
    details,
  };
  context.logger.info({ event: type, userId, actorId, ...details }, `security event: ${type}`);
  try {
    await context.db.insert(securityEvents).values(row);
  } catch (error) {
    context.logger.error({ err: error, event: row }, 'recording a security event failed');
  }
}
