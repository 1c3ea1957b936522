// Queries of the one-time tokens sent by email. Spending one is one conditional UPDATE, so
// that two concurrent requests cannot both use it.
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import { emailTokens, type tables } from './schema.js';

type Db = Database<typeof tables>;
/** The database or a transaction of it. */
type Executor = Pick<Db, 'insert' | 'update'>;

export type EmailTokenPurpose = 'password-reset' | 'email-verification';

export async function insertEmailToken(
  db: Executor,
  values: {
    tokenHash: string;
    userId: string;
    purpose: EmailTokenPurpose;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db.insert(emailTokens).values(values);
}

/** Spends the token: the user it was for, or undefined when it is unknown, of another
 * purpose, used or expired. */
export async function spendEmailToken(
  db: Executor,
  tokenHash: string,
  purpose: EmailTokenPurpose,
  now: Date,
): Promise<string | undefined> {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.tokenHash, tokenHash),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .returning({ userId: emailTokens.userId });
  return row?.userId;
}

/** Ends the user's other unused tokens of `purpose` (a reset link asked for earlier). */
export async function retireEmailTokens(
  db: Executor,
  userId: string,
  purpose: EmailTokenPurpose,
  now: Date,
): Promise<void> {
  await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.userId, userId),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
      ),
    );
}

/** Whether the user was sent a token of `purpose` after `since` (a mail is on its way). */
export async function tokenSentSince(
  db: Pick<Db, 'select'>,
  userId: string,
  purpose: EmailTokenPurpose,
  since: Date,
): Promise<boolean> {
  const [row] = await db
    .select({ userId: emailTokens.userId })
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.userId, userId),
        eq(emailTokens.purpose, purpose),
        gt(emailTokens.createdAt, since),
      ),
    )
    .limit(1);
  return row !== undefined;
}
