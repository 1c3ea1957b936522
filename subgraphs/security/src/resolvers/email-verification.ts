// Address verification: a signed-in user asks for a link; the link's token verifies the
// address (and, after a sign-up in verify-email mode, lets the user log in).
import { codedError } from '@supergraph/kit';
import { eq } from 'drizzle-orm';
import { spendEmailToken } from '../db/email-tokens.js';
import { users } from '../db/schema.js';
import { hashToken } from '../db/sessions.js';
import { sendVerificationMail } from '../email-verification.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';
import { recordSecurityEvent } from '../security-events.js';
import { checkEmailTokenLength } from './account-recovery.js';
import { signInRequired } from './mutation.js';

export const EmailVerificationMutation: Pick<
  MutationResolvers,
  'requestEmailVerification' | 'verifyEmail'
> = {
  async requestEmailVerification(_parent, _args, context) {
    const { identity } = context;
    if (!identity) throw signInRequired();
    const user = await context.users.load(identity.userId);
    if (!user) throw signInRequired();
    if (user.emailVerifiedAt) return false;
    await sendVerificationMail(context, user);
    return true;
  },

  async verifyEmail(_parent, { token }, context) {
    checkEmailTokenLength(token);
    const now = new Date(context.accountMail.now());
    const userId = await context.db.transaction(async (tx) => {
      const userId = await spendEmailToken(tx, hashToken(token), 'email-verification', now);
      if (!userId) return undefined;
      await tx.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, userId));
      return userId;
    });
    if (!userId) {
      throw codedError(
        'BAD_USER_INPUT',
        'This verification link does not work (it is unknown, already used or expired): log in to get a new one.',
        { extensions: { field: 'token' } },
      );
    }
    context.users.clear(userId);
    await recordSecurityEvent(context, { type: 'user.email-verified', userId });
    return true;
  },
};
