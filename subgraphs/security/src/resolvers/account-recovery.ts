// Password reset by email: requestPasswordReset writes a one-time link (for a known address
// only, answering the same either way) and resetPassword spends it for a new password, ending
// every session of the account.
import { codedError, parseInput } from '@supergraph/kit';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { sendTokenMail } from '../account-mail.js';
import { retireEmailTokens, spendEmailToken } from '../db/email-tokens.js';
import { users } from '../db/schema.js';
import { hashToken, revokeUserSessions } from '../db/sessions.js';
import { findUserByEmail } from '../db/users.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';
import { hashPassword } from '../passwords.js';
import { recordSecurityEvent } from '../security-events.js';
import { emailSchema, passwordSchema } from './mutation.js';

/** Anything longer is not a token we sent, and is refused before any work. */
export const MAX_EMAIL_TOKEN_LENGTH = 128;

export function checkEmailTokenLength(token: string): void {
  if (token.length > MAX_EMAIL_TOKEN_LENGTH) {
    throw codedError(
      'BAD_USER_INPUT',
      `A token has at most ${MAX_EMAIL_TOKEN_LENGTH} characters.`,
      {
        extensions: { field: 'token' },
      },
    );
  }
}

const minutes = (seconds: number) => Math.round(seconds / 60);

export const AccountRecoveryMutation: Pick<
  MutationResolvers,
  'requestPasswordReset' | 'resetPassword'
> = {
  async requestPasswordReset(_parent, args, context) {
    const { email } = parseInput(z.object({ email: emailSchema }), args, 'requestPasswordReset');
    const user = await findUserByEmail(context.db, email);
    // Whether the address has an account is not for anyone who asks to learn: the answer is
    // the same, and the mail is only written, not sent, before it.
    if (user) {
      const ttl = context.accountMail.passwordResetTtlSeconds;
      await sendTokenMail(context, user, 'password-reset', ttl, (link) => ({
        subject: 'Reset your password',
        text: [
          `Someone (we hope you) asked to reset the password of your account ${user.email}.`,
          '',
          `To choose a new one, open this link within ${minutes(ttl)} minutes (it works once):`,
          link,
          '',
          'If it was not you, ignore this mail: your password stays as it is.',
        ].join('\n'),
      }));
    }
    await recordSecurityEvent(context, {
      type: 'password-reset.requested',
      userId: user?.id ?? null,
      details: { knownEmail: user !== undefined },
    });
    return true;
  },

  async resetPassword(_parent, { token, newPassword }, context) {
    checkEmailTokenLength(token);
    parseInput(z.object({ newPassword: passwordSchema }), { newPassword }, 'resetPassword');
    const passwordHash = await hashPassword(newPassword);
    const now = new Date(context.accountMail.now());
    const userId = await context.db.transaction(async (tx) => {
      const userId = await spendEmailToken(tx, hashToken(token), 'password-reset', now);
      if (!userId) return undefined;
      // The link came to the address: it is the user's.
      await tx
        .update(users)
        .set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now})` })
        .where(eq(users.id, userId));
      // Links asked for before this one stop working too.
      await retireEmailTokens(tx, userId, 'password-reset', now);
      return userId;
    });
    if (!userId) {
      throw codedError(
        'BAD_USER_INPUT',
        'This password reset link does not work (it is unknown, already used or expired): ask for a new one.',
        { extensions: { field: 'token' } },
      );
    }
    // Whoever held the old password (or a session) is out.
    const ended = await revokeUserSessions(
      context.db,
      userId,
      'password-reset',
      context.sessionLifetimes,
    );
    context.revocations.announce(ended.revocations);
    context.users.clear(userId);
    await recordSecurityEvent(context, {
      type: 'password.reset',
      userId,
      details: { sessionsEnded: ended.sessions.length },
    });
    return true;
  },
};
