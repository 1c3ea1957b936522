// Proving an address: the verification mail (its link works once, EMAIL_VERIFICATION_TTL_SECONDS),
// the mail to the owner of a taken address that someone tried to sign up with, and the
// refusal that says to look at the mail. In `verify-email` sign-up mode, signUp answers that
// refusal for a new and a taken address alike, so that it reveals nothing.
import { codedError } from '@supergraph/kit';
import { sendAccountMail, sendTokenMail } from './account-mail.js';
import type { SecurityContext } from './context.js';

const hours = (seconds: number) => Math.max(1, Math.round(seconds / 3600));

export const emailVerificationRequired = (
  message = 'Check your email to finish signing up: we sent a link to your address.',
) => codedError('EMAIL_VERIFICATION_REQUIRED', message);

export async function sendVerificationMail(
  context: SecurityContext,
  user: { id: string; email: string },
): Promise<void> {
  const ttl = context.accountMail.emailVerificationTtlSeconds;
  await sendTokenMail(context, user, 'email-verification', ttl, (link) => ({
    subject: 'Verify your email address',
    text: [
      `To verify ${user.email} as the address of your account, open this link within ${hours(ttl)} hour(s) (it works once):`,
      link,
      '',
      'If you did not sign up, ignore this mail.',
    ].join('\n'),
  }));
}

/** To the owner of an address someone tried to sign up with again (maybe themself). */
export async function sendSignUpAttemptMail(context: SecurityContext, email: string) {
  const { publicAppUrl } = context.accountMail;
  await sendAccountMail(context, {
    to: email,
    subject: 'Someone tried to sign up with your address',
    text: [
      `Someone (maybe you) tried to create an account with ${email}, which already has one.`,
      '',
      `If it was you: log in, or reset your password at ${publicAppUrl}/reset-password if you forgot it.`,
      'If it was not you, ignore this mail: nothing changed.',
    ].join('\n'),
  });
}
