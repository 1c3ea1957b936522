// Two-factor sign-in of the signed-in user (enrol an authenticator, confirm it, new recovery
// codes, turn it off, its status) and the second step of a login that answered MFA_REQUIRED.
// A wrong code of a signed-in user is BAD_USER_INPUT, not UNAUTHENTICATED: their token is
// fine, and clients take UNAUTHENTICATED for "sign in again".
import { codedError } from '@supergraph/kit';
import { verifyPasskeyAssertion } from '../passkeys.js';
import type { SecurityContext } from '../context.js';
import {
  liveChallengeUser,
  removeSecondFactors,
  replaceRecoveryCodes,
  savePendingTotp,
  spendChallenge,
  spendTotpStep,
  totpFactorOf,
} from '../db/mfa.js';
import type { UserRow } from '../db/schema.js';
import { hashToken } from '../db/sessions.js';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.js';
import {
  checkCodeLength,
  codeRefusal,
  limitCodeAttempt,
  MAX_CHALLENGE_LENGTH,
  mfaStatusOf,
  spendSecondFactorCode,
  type CodeCheck,
} from '../mfa.js';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from '../recovery-codes.js';
import { recordSecurityEvent } from '../security-events.js';
import { looksLikeTotpCode, newTotpSecret, qrCodeDataUrl, totpStepOf, totpUri } from '../totp.js';
import { signIn, signInRequired } from './mutation.js';

type Db = SecurityContext['db'];

const TOTP_EXPECTED = 'the current code of your authenticator app';
const ANY_EXPECTED = 'the current code of your authenticator app, nor an unused recovery code';

async function signedInUser(context: SecurityContext): Promise<UserRow> {
  if (!context.identity) throw signInRequired();
  const user = await context.users.load(context.identity.userId);
  if (!user) throw signInRequired();
  return user;
}

const badCode = (message: string) =>
  codedError('BAD_USER_INPUT', message, { extensions: { field: 'code' } });

function requireTotpShape(code: string): void {
  if (!looksLikeTotpCode(code))
    throw badCode('Enter the 6-digit code your authenticator app shows.');
}

const alreadyOn = () =>
  codedError(
    'CONFLICT',
    'Two-factor sign-in is already on. Turn it off with disableTotp first to set up another authenticator.',
  );

const challengeRefused = () =>
  codedError(
    'UNAUTHENTICATED',
    'This sign-in challenge has expired or was already used. Log in again with your email and password.',
  );

/** Records a refused code and answers the error to throw (which rolls its transaction back). */
function refusal(
  context: SecurityContext,
  userId: string,
  purpose: string,
  check: CodeCheck & { ok: false },
  error: (message: string) => Error,
  expected: string,
): Error {
  // Outside the transaction the error rolls back; recording never throws.
  void recordSecurityEvent(context, {
    type: 'mfa.failed',
    userId,
    details: { purpose, reason: check.reason },
  });
  return error(codeRefusal(check, expected));
}

/** New recovery codes for the user, in place of the old ones. */
async function issueRecoveryCodes(db: Db, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await replaceRecoveryCodes(
    db,
    userId,
    codes.map((code) => hashRecoveryCode(userId, normalizeRecoveryCode(code)!)),
  );
  return codes;
}

/** Runs `work` in a transaction of the context's database. */
const inTransaction = <T>(context: SecurityContext, work: (db: Db) => Promise<T>) =>
  context.db.transaction((tx) => work(tx as unknown as Db));

export const MfaQuery: Pick<QueryResolvers, 'mfaStatus'> = {
  mfaStatus: (_parent, _args, { identity, db }) => {
    if (!identity) throw signInRequired();
    return mfaStatusOf(db, identity.userId);
  },
};

export const MfaMutation: Pick<
  MutationResolvers,
  | 'startTotpEnrollment'
  | 'confirmTotpEnrollment'
  | 'regenerateRecoveryCodes'
  | 'disableTotp'
  | 'completeMfaLogin'
> = {
  async startTotpEnrollment(_parent, _args, context) {
    const user = await signedInUser(context);
    const secret = newTotpSecret();
    if (!(await savePendingTotp(context.db, user.id, secret, new Date(context.mfa.now())))) {
      throw alreadyOn();
    }
    const otpauthUri = totpUri(context.mfa.issuer, user.email, secret);
    await recordSecurityEvent(context, { type: 'mfa.totp-enrollment-started', userId: user.id });
    return { secret, otpauthUri, qrCodeDataUrl: await qrCodeDataUrl(otpauthUri) };
  },

  async confirmTotpEnrollment(_parent, { code }, context) {
    const user = await signedInUser(context);
    requireTotpShape(code);
    const factor = await totpFactorOf(context.db, user.id);
    if (!factor) {
      throw codedError(
        'NOT_FOUND',
        'No authenticator awaits confirmation: start with startTotpEnrollment.',
      );
    }
    if (factor.confirmedAt) throw alreadyOn();
    const now = context.mfa.now();
    const recoveryCodes = await limitCodeAttempt(context, user, () =>
      inTransaction(context, async (db) => {
        const step = totpStepOf(code, factor.secret, now);
        if (step === null) {
          throw refusal(
            context,
            user.id,
            'confirm-enrollment',
            { ok: false, reason: 'wrong-code' },
            badCode,
            'the current code of the authenticator you are adding',
          );
        }
        if (!(await spendTotpStep(db, factor, step, { confirm: true, now: new Date(now) }))) {
          // Another request of this user confirmed or replaced it meanwhile.
          throw codedError(
            'CONFLICT',
            'The enrolment changed meanwhile: check mfaStatus, and start again if it is still off.',
          );
        }
        return issueRecoveryCodes(db, user.id);
      }),
    );
    await recordSecurityEvent(context, { type: 'mfa.totp-enabled', userId: user.id });
    return { recoveryCodes, status: await mfaStatusOf(context.db, user.id) };
  },

  async regenerateRecoveryCodes(_parent, { code }, context) {
    const user = await signedInUser(context);
    requireTotpShape(code);
    const factor = await totpFactorOf(context.db, user.id);
    if (!factor?.confirmedAt) {
      throw codedError(
        'CONFLICT',
        'Two-factor sign-in is off: turn it on with startTotpEnrollment and confirmTotpEnrollment.',
      );
    }
    const now = context.mfa.now();
    const recoveryCodes = await limitCodeAttempt(context, user, () =>
      inTransaction(context, async (db) => {
        const check = await spendSecondFactorCode(db, user.id, code, now, {
          recoveryCodes: false,
        });
        if (!check.ok) {
          throw refusal(context, user.id, 'regenerate', check, badCode, TOTP_EXPECTED);
        }
        return issueRecoveryCodes(db, user.id);
      }),
    );
    await recordSecurityEvent(context, { type: 'mfa.recovery-codes-regenerated', userId: user.id });
    return { recoveryCodes, status: await mfaStatusOf(context.db, user.id) };
  },

  async disableTotp(_parent, { code }, context) {
    const user = await signedInUser(context);
    checkCodeLength(code);
    const factor = await totpFactorOf(context.db, user.id);
    if (!factor?.confirmedAt) {
      // Nothing guards the account yet: a pending enrolment is dropped without a code.
      if (factor) await removeSecondFactors(context.db, user.id);
      return false;
    }
    const now = context.mfa.now();
    const method = await limitCodeAttempt(context, user, () =>
      inTransaction(context, async (db) => {
        const check = await spendSecondFactorCode(db, user.id, code, now, { recoveryCodes: true });
        if (!check.ok) throw refusal(context, user.id, 'disable', check, badCode, ANY_EXPECTED);
        await removeSecondFactors(db, user.id);
        return check.method;
      }),
    );
    if (method === 'RECOVERY_CODE') {
      await recordSecurityEvent(context, {
        type: 'mfa.recovery-code-used',
        userId: user.id,
        details: { purpose: 'disable' },
      });
    }
    await recordSecurityEvent(context, {
      type: 'mfa.totp-disabled',
      userId: user.id,
      details: { method },
    });
    return true;
  },

  async completeMfaLogin(_parent, { challenge, code, passkeyResponse }, context) {
    if (challenge.length > MAX_CHALLENGE_LENGTH) {
      throw codedError('BAD_USER_INPUT', 'This is not a challenge of login.', {
        extensions: { field: 'challenge' },
      });
    }
    if ((code == null) === (passkeyResponse == null)) {
      throw codedError(
        'BAD_USER_INPUT',
        'Send either a code (authenticator or recovery code) or a passkeyResponse, not both.',
        { extensions: { field: code == null ? 'code' : 'passkeyResponse' } },
      );
    }
    if (code != null) checkCodeLength(code);
    const now = context.mfa.now();
    const tokenHash = hashToken(challenge);
    const userId = await liveChallengeUser(context.db, tokenHash, new Date(now));
    const user = userId ? await context.users.load(userId) : null;
    if (!user) throw challengeRefused();
    const method = await limitCodeAttempt(context, user, () =>
      inTransaction(context, async (db) => {
        // Spent first, so that two requests with one challenge cannot both sign in; a wrong
        // code rolls it back, and the user may try again within the throttle.
        if (!(await spendChallenge(db, tokenHash, new Date(now)))) throw challengeRefused();
        if (passkeyResponse != null) {
          // The passkey signed the challenge itself (its options came with MFA_REQUIRED).
          try {
            await verifyPasskeyAssertion(
              { db, webauthn: context.webauthn },
              { userId: user.id, expectedChallenge: challenge, response: passkeyResponse },
            );
          } catch (error) {
            void recordSecurityEvent(context, {
              type: 'mfa.failed',
              userId: user.id,
              details: { purpose: 'login', reason: 'passkey-refused' },
            });
            throw error;
          }
          return 'PASSKEY' as const;
        }
        const check = await spendSecondFactorCode(db, user.id, code!, now, {
          recoveryCodes: true,
        });
        if (!check.ok) {
          throw refusal(
            context,
            user.id,
            'login',
            check,
            (message) => codedError('UNAUTHENTICATED', message),
            ANY_EXPECTED,
          );
        }
        return check.method;
      }),
    );
    if (method === 'RECOVERY_CODE') {
      await recordSecurityEvent(context, {
        type: 'mfa.recovery-code-used',
        userId: user.id,
        details: { purpose: 'login' },
      });
    }
    await recordSecurityEvent(context, {
      type: 'mfa.login-completed',
      userId: user.id,
      details: { method },
    });
    return signIn(context, user, 'password+second-factor');
  },
};
