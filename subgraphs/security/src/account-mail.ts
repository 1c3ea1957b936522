// Mails about an account that carry a one-time link (a password reset, an address to verify):
// the token (32 random bytes, stored as SHA-256) and its mail are written in one transaction,
// then the outbox sends the mail.
import { randomBytes } from 'node:crypto';
import type { SecurityContext } from './context.js';
import { insertEmailToken, tokenSentSince, type EmailTokenPurpose } from './db/email-tokens.js';
import { hashToken } from './db/sessions.js';
import type { Mail } from './mail/mailer.js';
import { enqueueMail, type OutboxDispatcher } from './mail/outbox.js';

export interface AccountMailSettings {
  /** Where the links point (no trailing slash). */
  publicAppUrl: string;
  passwordResetTtlSeconds: number;
  emailVerificationTtlSeconds: number;
  signUpMode: 'instant' | 'verify-email';
}

export type AccountMail = AccountMailSettings & {
  outbox: Pick<OutboxDispatcher, 'kick'>;
  /** The clock of tokens and mails (epoch ms). */
  now: () => number;
};

/** The app's page that takes each purpose's token. */
const PAGES: Record<EmailTokenPurpose, string> = {
  'password-reset': '/reset-password',
  'email-verification': '/verify-email',
};

export const newEmailToken = () => {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
};

/** A user is sent at most one link of a purpose this often: asking again (or anyone asking
 * for them) within it sends nothing more, so that no one can flood an inbox. */
export const MAIL_COOLDOWN_MS = 60_000;

/** Writes a mail with no link (it goes out with the next dispatch). */
export async function sendAccountMail(context: SecurityContext, mail: Mail): Promise<void> {
  await enqueueMail(context.db, mail, new Date(context.accountMail.now()));
  context.accountMail.outbox.kick();
}

/**
 * Writes a token of `purpose` for the user and the mail with its link, in one transaction
 * (neither without the other), and has the outbox send it; nothing when the user was sent
 * one within MAIL_COOLDOWN_MS.
 */
export async function sendTokenMail(
  context: SecurityContext,
  user: { id: string; email: string },
  purpose: EmailTokenPurpose,
  ttlSeconds: number,
  compose: (link: string, expiresAt: Date) => Omit<Mail, 'to'>,
): Promise<void> {
  const { publicAppUrl, now } = context.accountMail;
  const createdAt = new Date(now());
  const since = new Date(createdAt.getTime() - MAIL_COOLDOWN_MS);
  if (await tokenSentSince(context.db, user.id, purpose, since)) return;
  const expiresAt = new Date(createdAt.getTime() + ttlSeconds * 1000);
  const { token, tokenHash } = newEmailToken();
  const link = `${publicAppUrl}${PAGES[purpose]}?token=${token}`;
  await context.db.transaction(async (tx) => {
    await insertEmailToken(tx, { tokenHash, userId: user.id, purpose, createdAt, expiresAt });
    await enqueueMail(tx, { to: user.email, ...compose(link, expiresAt) }, createdAt);
  });
  context.accountMail.outbox.kick();
}
