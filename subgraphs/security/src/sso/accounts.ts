// Who signs in with single sign-on: the user linked to the provider's account (by issuer and
// subject, so a changed email still finds them); on the first sign-in, an existing user with
// that email, but only when the provider has verified the address (else anyone who can make an
// account at some provider with someone's address would take over their account); otherwise a
// new user, who has no password.
import { randomBytes } from 'node:crypto';
import { accountKey, codedError } from '@supergraph/kit';
import { z } from 'zod';
import type { SecurityContext } from '../context.js';
import type { IdentityProviderRow, UserRow } from '../db/schema.js';
import { linkIdentity, userOfIdentity } from '../db/sso.js';
import { findUserByEmail, insertUser } from '../db/users.js';
import { hashPassword } from '../passwords.js';
import { DEFAULT_ROLE } from '../roles.js';
import { recordSecurityEvent } from '../security-events.js';
import type { ProvenClaims } from './oidc.js';

const MAX_DISPLAY_NAME = 100;
const emailSchema = z.string().email().max(320);

export async function userForClaims(
  context: Pick<SecurityContext, 'db' | 'logger'>,
  provider: IdentityProviderRow,
  claims: ProvenClaims,
): Promise<UserRow> {
  const { db } = context;
  const email = claims.email === undefined ? undefined : accountKey(claims.email);
  const account = {
    issuer: claims.issuer,
    subject: claims.subject,
    providerId: provider.id,
    email,
  };
  const linked = await userOfIdentity(db, account);
  if (linked) return linked;

  if (!email || !emailSchema.safeParse(email).success) {
    throw codedError(
      'UPSTREAM_ERROR',
      `${provider.name} gave no usable email address for this account; the provider must release the email claim (scope "email").`,
      { extensions: { provider: provider.slug } },
    );
  }
  const existing = await findUserByEmail(db, email);
  if (existing) {
    if (!claims.emailVerified) {
      throw codedError(
        'CONFLICT',
        `An account with this email address exists, and ${provider.name} has not verified the address, so this sign-in cannot be linked to it. Log in with your password, or verify the address at ${provider.name}.`,
        { extensions: { provider: provider.slug } },
      );
    }
    const userId = await linkIdentity(db, account, existing.id);
    await recordSecurityEvent(context, {
      type: 'sso.identity-linked',
      userId,
      details: { provider: provider.slug, created: false },
    });
    return userId === existing.id ? existing : (await userOfIdentity(db, account))!;
  }

  const created = await insertUser(
    db,
    {
      email,
      displayName: (claims.name?.trim() || email.split('@')[0]!).slice(0, MAX_DISPLAY_NAME),
      // Nobody knows this password: the account signs in through its provider only.
      passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
    },
    [DEFAULT_ROLE],
  );
  if (!created) {
    // Someone took the address between the look-up and the insert: the caller may retry.
    throw codedError('CONFLICT', 'An account with this email address was just created; retry.');
  }
  const userId = await linkIdentity(db, account, created.id);
  await recordSecurityEvent(context, {
    type: 'sso.identity-linked',
    userId,
    details: { provider: provider.slug, created: true },
  });
  return userId === created.id ? created : (await userOfIdentity(db, account))!;
}
