// Two-factor sign-in: spending a code of a user's second factor (an authenticator's TOTP code,
// once per time step, or a recovery code, once), the challenge that a login with the right
// password answers on such an account, and a user's factor status.
//
// A challenge is 32 random bytes stored as SHA-256, not a signed JWT: it must work once, so
// it needs a row anyway, and a row is also what disabling the factor deletes.
import { codedError } from '@supergraph/kit';
import { randomBytes } from 'node:crypto';
import type { SecurityContext } from './context.js';
import {
  insertChallenge,
  recoveryCodesLeft,
  spendRecoveryCode,
  spendTotpStep,
  totpFactorOf,
} from './db/mfa.js';
import type { UserRow } from './db/schema.js';
import { hashToken } from './db/sessions.js';
import type { MfaStatus } from './generated/resolvers-types.js';
import { passkeyAssertionOptions } from './passkeys.js';
import { hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes.js';
import { recordSecurityEvent } from './security-events.js';
import { throttleSignIn } from './sign-in-throttle.js';
import { totpStepOf } from './totp.js';

export type MfaMethod = 'TOTP' | 'RECOVERY_CODE' | 'PASSKEY';

/** Anything longer is neither a code nor a challenge, and is refused before any work. */
export const MAX_CODE_LENGTH = 64;
export const MAX_CHALLENGE_LENGTH = 128;

type Db = SecurityContext['db'];

export type CodeCheck =
  { ok: true; method: MfaMethod } | { ok: false; reason: 'wrong-code' | 'replayed-code' };

/**
 * Spends `code` of the user's confirmed factor: a TOTP code of a step later than the last
 * one accepted, or (with `recoveryCodes`) an unused recovery code. Spends nothing when it
 * fails. Run it in the transaction whose outcome it decides.
 */
export async function spendSecondFactorCode(
  db: Db,
  userId: string,
  code: string,
  now: number,
  { recoveryCodes }: { recoveryCodes: boolean },
): Promise<CodeCheck> {
  const factor = await totpFactorOf(db, userId);
  if (!factor?.confirmedAt) return { ok: false, reason: 'wrong-code' };
  const step = totpStepOf(code, factor.secret, now);
  if (step !== null) {
    return (await spendTotpStep(db, factor, step, { now: new Date(now) }))
      ? { ok: true, method: 'TOTP' }
      : { ok: false, reason: 'replayed-code' };
  }
  const recovery = recoveryCodes ? normalizeRecoveryCode(code) : undefined;
  if (
    recovery &&
    (await spendRecoveryCode(db, userId, hashRecoveryCode(userId, recovery), new Date(now)))
  ) {
    return { ok: true, method: 'RECOVERY_CODE' };
  }
  return { ok: false, reason: 'wrong-code' };
}

/** Runs a code attempt within the account's budget of failed credentials (the one of
 * passwords at login): a wrong code takes a point, a right one gives it back. */
export const limitCodeAttempt = <T>(
  context: SecurityContext,
  user: UserRow,
  attempt: () => Promise<T>,
): Promise<T> => throttleSignIn(context, user.email, attempt, user.id);

/** Refuses a code of the wrong shape before it costs anything. */
export function checkCodeLength(code: string, field = 'code'): void {
  if (code.length > MAX_CODE_LENGTH) {
    throw codedError('BAD_USER_INPUT', `A code has at most ${MAX_CODE_LENGTH} characters.`, {
      extensions: { field },
    });
  }
}

/** The message of a refused code: a replayed one says so, since the user then only waits. */
export const codeRefusal = (check: CodeCheck & { ok: false }, expected: string): string =>
  check.reason === 'replayed-code'
    ? 'This code was already used: wait for the next one in your authenticator app.'
    : `This is not ${expected}. Check that your device's clock is right.`;

/**
 * On an account with a confirmed second factor, a right password proves half: this throws
 * MFA_REQUIRED with a new challenge instead of letting tokens be issued. Returns otherwise.
 */
export async function requireNoSecondFactor(context: SecurityContext, user: UserRow) {
  const factor = await totpFactorOf(context.db, user.id);
  if (!factor?.confirmedAt) return;
  const now = context.mfa.now();
  const challenge = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now + context.mfa.challengeTtlSeconds * 1000);
  await insertChallenge(context.db, {
    tokenHash: hashToken(challenge),
    userId: user.id,
    createdAt: new Date(now),
    expiresAt,
  });
  // The user's passkeys answer the same challenge, as a second factor.
  const passkeyOptions = await passkeyAssertionOptions(context, user.id, challenge);
  const methods: MfaMethod[] = [
    'TOTP',
    'RECOVERY_CODE',
    ...(passkeyOptions ? ['PASSKEY' as const] : []),
  ];
  await recordSecurityEvent(context, { type: 'mfa.challenge-issued', userId: user.id });
  throw codedError(
    'MFA_REQUIRED',
    'Enter the code from your authenticator app (or a recovery code, or use a passkey) with completeMfaLogin.',
    {
      extensions: {
        mfa: {
          challenge,
          expiresAt: expiresAt.toISOString(),
          methods,
          ...(passkeyOptions ? { passkeyOptions } : {}),
        },
      },
    },
  );
}

export async function mfaStatusOf(db: Db, userId: string): Promise<MfaStatus> {
  const factor = await totpFactorOf(db, userId);
  const enabledAt = factor?.confirmedAt ?? null;
  return {
    totpEnabled: enabledAt !== null,
    totpEnabledAt: enabledAt,
    totpPending: factor !== undefined && enabledAt === null,
    recoveryCodesLeft: enabledAt ? await recoveryCodesLeft(db, userId) : 0,
  };
}
