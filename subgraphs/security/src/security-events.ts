// The one call site of security events (sign-in factors changed or used, failures), so that
// the audit log can store them where they are logged today: one structured line each.
import type { SecurityContext } from './context.js';

export type SecurityEventType =
  | 'mfa.totp-enrollment-started'
  | 'mfa.totp-enabled'
  | 'mfa.totp-disabled'
  | 'mfa.recovery-codes-regenerated'
  | 'mfa.recovery-code-used'
  | 'mfa.challenge-issued'
  | 'mfa.login-completed'
  | 'mfa.failed';

export interface SecurityEvent {
  type: SecurityEventType;
  userId: string;
  /** More about it, never a secret: a method, a reason, what the code was for. */
  details?: Record<string, string | number | boolean>;
}

export function recordSecurityEvent(
  context: Pick<SecurityContext, 'logger'>,
  { type, userId, details = {} }: SecurityEvent,
): void {
  context.logger.info({ event: type, userId, ...details }, `security event: ${type}`);
}
