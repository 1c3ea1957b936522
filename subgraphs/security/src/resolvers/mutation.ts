// Mutation: sign up and log in, both answering with a signed token.
import { accountKey, codedError, limitAttempt, parseInput } from '@supergraph/kit';
import { z } from 'zod';
import { findUserByEmail, insertUser, scopesOfUser } from '../db/users.js';
import type { UserRow } from '../db/schema.js';
import type { SecurityContext } from '../context.js';
import type { AuthPayload, MutationResolvers } from '../generated/resolvers-types.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { DEFAULT_ROLE } from '../roles.js';

const MIN_PASSWORD = 8;
const MAX_PASSWORD = 256;
const MAX_DISPLAY_NAME = 100;

const signUpInput = z.object({
  email: z.string().trim().toLowerCase().email('must be a valid email address').max(320),
  password: z
    .string()
    .min(MIN_PASSWORD, `must be at least ${MIN_PASSWORD} characters`)
    .max(MAX_PASSWORD, `must be at most ${MAX_PASSWORD} characters`),
  displayName: z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(MAX_DISPLAY_NAME, `must be at most ${MAX_DISPLAY_NAME} characters`)
    .nullish(),
});

export async function issueToken(
  context: Pick<SecurityContext, 'db' | 'keys' | 'provenUserIds'>,
  user: UserRow,
): Promise<Omit<AuthPayload, 'user'> & { user: UserRow }> {
  context.provenUserIds.add(user.id);
  const scopes = await scopesOfUser(context.db, user.id);
  const { token, expiresAt } = await context.keys.sign({
    subject: user.id,
    email: user.email,
    scopes,
  });
  return { token, tokenType: 'Bearer', expiresAt, scopes, user };
}

export const Mutation: MutationResolvers = {
  async signUp(_parent, { input }, context) {
    const { email, password, displayName } = parseInput(signUpInput, input);
    const user = await insertUser(
      context.db,
      {
        email,
        displayName: displayName ?? email.split('@')[0]!,
        passwordHash: await hashPassword(password),
      },
      [DEFAULT_ROLE],
    );
    if (!user) {
      // Neither names nor confirms the address: whether an email is registered is not for
      // anyone who asks to learn.
      throw codedError(
        'CONFLICT',
        'An account cannot be created with this email address. If you already have one, log in.',
        { extensions: { field: 'input.email' } },
      );
    }
    context.logger.info({ userId: user.id }, 'user signed up');
    return issueToken(context, user);
  },

  async login(_parent, { input }, context) {
    const email = accountKey(input.email);
    // Throttled here too, not only at the router: this subgraph may be reached directly.
    return limitAttempt(context.loginAttempts, email, async () => {
      const user = await findUserByEmail(context.db, email);
      if (!(await verifyPassword(user?.passwordHash, input.password)) || !user) {
        throw codedError('UNAUTHENTICATED', 'The email or the password is wrong.');
      }
      return issueToken(context, user);
    });
  },
};
