// Queries of two-factor sign-in: TOTP factors, recovery codes and login challenges. Each use
// of a one-time thing (a code's time step, a recovery code, a challenge) is one conditional
// UPDATE, so that two concurrent requests cannot both spend it.
import { and, count, eq, gt, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import {
  mfaChallenges,
  recoveryCodes,
  totpFactors,
  type tables,
  type TotpFactorRow,
} from './schema.js';

type Db = Database<typeof tables>;

export async function totpFactorOf(db: Db, userId: string): Promise<TotpFactorRow | undefined> {
  const [factor] = await db.select().from(totpFactors).where(eq(totpFactors.userId, userId));
  return factor;
}

/** Stores `secret` as the user's pending factor, replacing a pending one; undefined when the
 * user already has a confirmed factor (which it leaves alone). */
export async function savePendingTotp(db: Db, userId: string, secret: string, now: Date) {
  const [factor] = await db
    .insert(totpFactors)
    .values({ userId, secret, createdAt: now })
    .onConflictDoUpdate({
      target: totpFactors.userId,
      set: { secret, createdAt: now, lastUsedStep: null },
      setWhere: isNull(totpFactors.confirmedAt),
    })
    .returning();
  return factor;
}

/**
 * Spends time step `step` of the user's factor with `secret` (pending when `confirm`, which
 * then confirms it; confirmed otherwise): only a step later than the last one spent passes,
 * so a code is never accepted twice. False when there is no such factor in that state (it
 * was replaced meanwhile) or the step was spent.
 */
export async function spendTotpStep(
  db: Db,
  { userId, secret }: Pick<TotpFactorRow, 'userId' | 'secret'>,
  step: number,
  { confirm = false, now }: { confirm?: boolean; now: Date },
): Promise<boolean> {
  const spent = await db
    .update(totpFactors)
    .set(confirm ? { lastUsedStep: step, confirmedAt: now } : { lastUsedStep: step })
    .where(
      and(
        eq(totpFactors.userId, userId),
        eq(totpFactors.secret, secret),
        confirm ? isNull(totpFactors.confirmedAt) : isNotNull(totpFactors.confirmedAt),
        or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, step)),
      ),
    )
    .returning({ userId: totpFactors.userId });
  return spent.length === 1;
}

/** Replaces every recovery code of the user with the ones hashed in `hashes`. */
export async function replaceRecoveryCodes(db: Db, userId: string, hashes: readonly string[]) {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash })));
}

/** Marks an unused recovery code of the user used; false when there is none with that hash. */
export async function spendRecoveryCode(db: Db, userId: string, codeHash: string, now: Date) {
  const spent = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, codeHash),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return spent.length === 1;
}

export async function recoveryCodesLeft(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ left: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return row?.left ?? 0;
}

/** Removes the user's factor, recovery codes and open login challenges. */
export async function removeSecondFactors(db: Db, userId: string) {
  await db.delete(mfaChallenges).where(eq(mfaChallenges.userId, userId));
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await db.delete(totpFactors).where(eq(totpFactors.userId, userId));
}

/** Stores a new login challenge, and drops the user's expired and used ones. */
export async function insertChallenge(
  db: Db,
  values: { tokenHash: string; userId: string; createdAt: Date; expiresAt: Date },
) {
  await db
    .delete(mfaChallenges)
    .where(
      and(
        eq(mfaChallenges.userId, values.userId),
        or(isNotNull(mfaChallenges.usedAt), lt(mfaChallenges.expiresAt, values.createdAt)),
      ),
    );
  await db.insert(mfaChallenges).values(values);
}

const live = (tokenHash: string, now: Date) =>
  and(
    eq(mfaChallenges.tokenHash, tokenHash),
    isNull(mfaChallenges.usedAt),
    gt(mfaChallenges.expiresAt, now),
  );

/** The user id of a live (unused, unexpired) challenge. */
export async function liveChallengeUser(db: Db, tokenHash: string, now: Date) {
  const [challenge] = await db
    .select({ userId: mfaChallenges.userId })
    .from(mfaChallenges)
    .where(live(tokenHash, now));
  return challenge?.userId;
}

/** Marks a live challenge used; false when it is not live (any more). */
export async function spendChallenge(db: Db, tokenHash: string, now: Date): Promise<boolean> {
  const spent = await db
    .update(mfaChallenges)
    .set({ usedAt: now })
    .where(live(tokenHash, now))
    .returning({ userId: mfaChallenges.userId });
  return spent.length === 1;
}
