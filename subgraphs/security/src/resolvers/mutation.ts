// Mutation: sign up, log in and refresh, answering with a signed access token and the
// session's next refresh token; logout and revocation of sessions.
import {
  accountKey,
  routedClient,
  codedError,
  parseInput,
  requireScope,
  type ClientRequestContext,
} from '@supergraph/kit';
import { z } from 'zod';
import {
  exchangeRefreshToken,
  revokeSession,
  revokeUserSessions,
  startSession,
  type Ended,
} from '../db/sessions.js';
import { findUserByEmail, insertUser, scopesOfUser } from '../db/users.js';
import type { SessionRow, UserRow } from '../db/schema.js';
import type { SecurityContext } from '../context.js';
import type { AuthPayload, MutationResolvers } from '../generated/resolvers-types.js';
import { requireNoSecondFactor } from '../mfa.js';
import {
  emailVerificationRequired,
  sendSignUpAttemptMail,
  sendVerificationMail,
} from '../email-verification.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { DEFAULT_ROLE } from '../roles.js';
import { recordSecurityEvent } from '../security-events.js';
import { FailedAttempt, takeSignInNotice, throttleSignIn } from '../sign-in-throttle.js';

const MIN_PASSWORD = 8;
const MAX_PASSWORD = 256;
const MAX_DISPLAY_NAME = 100;

/** What an email address and a new password must be (signUp, resetPassword). */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .email('must be a valid email address')
  .max(320);
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD, `must be at least ${MIN_PASSWORD} characters`)
  .max(MAX_PASSWORD, `must be at most ${MAX_PASSWORD} characters`);

const signUpInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  displayName: z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(MAX_DISPLAY_NAME, `must be at most ${MAX_DISPLAY_NAME} characters`)
    .nullish(),
});

type Issued = Omit<AuthPayload, 'user' | 'session'> & { user: UserRow; session: SessionRow };

/** A signed access token of `session` for `user`, with the session's next refresh token. */
async function issueTokens(
  context: Pick<SecurityContext, 'db' | 'keys' | 'provenUserIds'>,
  user: UserRow,
  session: SessionRow,
  refresh: { refreshToken: string; refreshTokenExpiresAt: Date },
): Promise<Issued> {
  context.provenUserIds.add(user.id);
  const scopes = await scopesOfUser(context.db, user.id);
  const { token, expiresAt } = await context.keys.sign({
    subject: user.id,
    email: user.email,
    scopes,
    sessionId: session.id,
  });
  return {
    token,
    tokenType: 'Bearer',
    expiresAt,
    scopes,
    user,
    session,
    ...refresh,
    signInNotice: null,
  };
}

/** How a user proved who they are, as sign-in events record it. */
export type SignInMethod = 'password' | 'sign-up' | 'password+second-factor' | 'passkey' | 'sso';

/** A new session for a user who has just proved who they are. */
export async function signIn(
  context: SecurityContext,
  user: UserRow,
  method: SignInMethod,
  /** More for the sign-in event, e.g. the passkey used. */
  details: Record<string, string> = {},
): Promise<Issued> {
  // Yoga's context has the HTTP request (its type here does not say so). Through the router,
  // the client's address and user agent are the ones it forwards (its one trusted hop).
  const client = routedClient(context as ClientRequestContext);
  const { session, ...refresh } = await startSession(
    context.db,
    user.id,
    { userAgent: client.userAgent, ip: client.address },
    context.sessionLifetimes,
  );
  await recordSecurityEvent(context, {
    type: 'sign-in.succeeded',
    userId: user.id,
    details: { ...details, method, sessionId: session.id },
  });
  // The failures against the account since its last sign-in are told to its owner, once.
  const notice = await takeSignInNotice(context, user.email);
  const issued = await issueTokens(context, user, session, refresh);
  return { ...issued, signInNotice: method === 'sign-up' ? null : notice };
}

/** Announces the revocations of the sessions ended (once their transaction has committed). */
async function endAndAnnounce(context: SecurityContext, ending: Promise<Ended>) {
  const ended = await ending;
  context.revocations.announce(ended.revocations);
  return ended.sessions;
}

/** The refusal of what only a signed-in user may do. */
export const signInRequired = () => codedError('UNAUTHENTICATED', 'Sign in first.');

export const Mutation: MutationResolvers = {
  async signUp(_parent, { input }, context) {
    const { email, password, displayName } = parseInput(signUpInput, input);
    // Computed for a taken address too: the answer takes as long either way.
    const passwordHash = await hashPassword(password);
    const user = await insertUser(
      context.db,
      { email, displayName: displayName ?? email.split('@')[0]!, passwordHash },
      [DEFAULT_ROLE],
    );
    if (context.accountMail.signUpMode === 'verify-email') {
      // The same answer for a new and a taken address; the mail tells the address's owner.
      if (user) {
        await recordSecurityEvent(context, { type: 'user.signed-up', userId: user.id });
        await sendVerificationMail(context, user);
      } else {
        await sendSignUpAttemptMail(context, email);
      }
      throw emailVerificationRequired();
    }
    if (!user) {
      // Neither names nor confirms the address: whether an email is registered is not for
      // anyone who asks to learn.
      throw codedError(
        'CONFLICT',
        'An account cannot be created with this email address. If you already have one, log in.',
        { extensions: { field: 'input.email' } },
      );
    }
    await recordSecurityEvent(context, { type: 'user.signed-up', userId: user.id });
    return signIn(context, user, 'sign-up');
  },

  async login(_parent, { input }, context) {
    const email = accountKey(input.email);
    // Throttled here too, not only at the router: this subgraph may be reached directly. A
    // locked account or address is refused before its password is looked at.
    const user = await throttleSignIn(context, email, async () => {
      const user = await findUserByEmail(context.db, email);
      if (!(await verifyPassword(user?.passwordHash, input.password)) || !user) {
        await recordSecurityEvent(context, {
          type: 'sign-in.failed',
          userId: user?.id ?? null,
          details: { method: 'password', reason: user ? 'wrong-password' : 'unknown-email' },
        });
        throw new FailedAttempt(
          codedError('UNAUTHENTICATED', 'The email or the password is wrong.'),
          user?.id ?? null,
        );
      }
      return user;
    });
    if (context.accountMail.signUpMode === 'verify-email' && !user.emailVerifiedAt) {
      await sendVerificationMail(context, user);
      throw emailVerificationRequired(
        'Verify your email address first: check your email for the link (a new one is sent at most once a minute).',
      );
    }
    // The right password gives its point back; on an account with a second factor it proves
    // only half, and codes sent to completeMfaLogin count against the same budget.
    await requireNoSecondFactor(context, user);
    return signIn(context, user, 'password');
  },

  async refreshSession(_parent, { refreshToken }, context) {
    const exchange = await exchangeRefreshToken(context.db, refreshToken, context.sessionLifetimes);
    if (!exchange.ok) {
      if (exchange.reason === 'reused') {
        context.revocations.announce(exchange.ended.revocations);
        const [ended] = exchange.ended.sessions;
        await recordSecurityEvent(context, {
          type: 'session.refresh-token-reused',
          userId: ended?.userId ?? null,
          details: { sessionId: ended?.id ?? null },
        });
      }
      throw codedError(
        'UNAUTHENTICATED',
        exchange.reason === 'reused'
          ? 'This refresh token was already used, so its session has ended. Sign in again.'
          : 'This refresh token is not accepted (unknown, expired, or its session has ended). Sign in again.',
      );
    }
    const user = await context.users.load(exchange.session.userId);
    if (!user) throw signInRequired();
    return issueTokens(context, user, exchange.session, exchange);
  },

  async logout(_parent, _args, context) {
    const { identity } = context;
    if (!identity) throw signInRequired();
    if (!identity.sessionId) return false;
    const [ended] = await endAndAnnounce(
      context,
      revokeSession(
        context.db,
        identity.userId,
        identity.sessionId,
        'logout',
        context.sessionLifetimes,
      ),
    );
    if (ended) {
      await recordSecurityEvent(context, {
        type: 'session.logout',
        userId: identity.userId,
        details: { sessionId: ended.id },
      });
    }
    return ended !== undefined;
  },

  async revokeSession(_parent, { id }, context) {
    const { identity } = context;
    if (!identity) throw signInRequired();
    const [ended] = await endAndAnnounce(
      context,
      revokeSession(context.db, identity.userId, id, 'revoked', context.sessionLifetimes),
    );
    if (!ended) {
      throw codedError('NOT_FOUND', 'You have no live session with this id.', {
        extensions: { field: 'id' },
      });
    }
    await recordSecurityEvent(context, {
      type: 'session.revoked',
      userId: identity.userId,
      details: { sessionId: ended.id },
    });
    return ended;
  },

  async revokeUserSessions(_parent, { userId }, context) {
    const admin = requireScope(context, 'security:admin');
    const ended = await endAndAnnounce(
      context,
      revokeUserSessions(context.db, userId, 'revoked-by-admin', context.sessionLifetimes),
    );
    await recordSecurityEvent(context, {
      type: 'session.revoked',
      userId,
      actorId: admin.userId,
      details: { sessions: ended.length, all: true },
    });
    return ended.length;
  },

  async rotateSigningKey(_parent, { retirePreviousNow }, context) {
    const admin = requireScope(context, 'security:admin');
    const retired = await context.keys.rotate({ retireNow: retirePreviousNow ?? false });
    await recordSecurityEvent(context, {
      type: 'signing-key.rotated',
      actorId: admin.userId,
      details: {
        retiredKid: retired.kid,
        retiredNow: retirePreviousNow ?? false,
        scheduled: false,
      },
    });
    return context.keys.published();
  },
};
