// Queries of the sign-in throttle (sign-in-throttle.ts decides; this stores). Each change of a
// key's counters runs under its row lock (SELECT … FOR UPDATE), so replicas and concurrent
// requests count every attempt once.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import { signInThrottles, type tables } from './schema.js';

type Db = Database<typeof tables>;
export type ThrottleRow = typeof signInThrottles.$inferSelect;
type ThrottleUpdate = Partial<Omit<ThrottleRow, 'key'>>;

/**
 * Locks the rows of `keys` (created when missing), in key order so that two requests never
 * wait on each other, and applies what `decide` makes of them, in one transaction.
 */
export async function updateThrottles<T>(
  db: Db,
  keys: readonly string[],
  now: Date,
  decide: (rows: ThrottleRow[]) => { updates: Map<string, ThrottleUpdate>; result: T },
): Promise<T> {
  const sorted = [...new Set(keys)].sort();
  return db.transaction(async (tx) => {
    await tx
      .insert(signInThrottles)
      .values(sorted.map((key) => ({ key, windowStartedAt: now })))
      .onConflictDoNothing();
    const rows = await tx
      .select()
      .from(signInThrottles)
      .where(inArray(signInThrottles.key, sorted))
      .orderBy(asc(signInThrottles.key))
      .for('update');
    const { updates, result } = decide(rows);
    for (const [key, set] of updates) {
      if (Object.keys(set).length > 0) {
        await tx.update(signInThrottles).set(set).where(eq(signInThrottles.key, key));
      }
    }
    return result;
  });
}

/** Deletes the key's row (a successful sign-in starts it afresh) and answers what it held. */
export async function clearThrottle(db: Db, key: string): Promise<ThrottleRow | undefined> {
  const [row] = await db.delete(signInThrottles).where(eq(signInThrottles.key, key)).returning();
  return row;
}

/**
 * Removes the rows that neither lock nor count anything any more: quiet since `quietSince`
 * (their window and lock over), and with no failure left to tell an owner, or one older than
 * `noticeSince` (so that guesses at unknown emails do not pile up).
 */
export async function pruneThrottles(db: Db, quietSince: Date, noticeSince: Date) {
  const t = signInThrottles;
  const removed = await db
    .delete(t)
    .where(
      sql`${t.windowStartedAt} < ${quietSince}
        and coalesce(${t.lockedUntil}, ${t.windowStartedAt}) < ${quietSince}
        and (${t.unseenFailures} = 0 or ${t.lastFailedAt} < ${noticeSince})`,
    )
    .returning({ key: t.key });
  return removed.length;
}
