// The revocations the security subgraph records (in the transaction of the change that makes
// them) and serves at /revocations to every verifier. A page holds what was recorded since
// the cursor, re-reading a margin before it: a transaction that commits a little after its
// rows' created_at is still seen by the next poll.
import { and, gt, sql } from 'drizzle-orm';
import type { Database, Revocation, RevocationFeedPage } from '@supergraph/kit';
import { revocations, type tables } from './schema.js';

type Db = Database<typeof tables>;

/** How far before the cursor each poll re-reads. */
const CURSOR_MARGIN_MS = 30_000;

export async function recordRevocations(db: Db, made: readonly Revocation[]): Promise<void> {
  if (made.length === 0) return;
  await db.insert(revocations).values(
    made.map((revocation) => ({
      kind: revocation.kind,
      subject: revocation.id,
      issuedBefore: revocation.kind === 'user' ? new Date(revocation.issuedBefore) : null,
      startsAt: revocation.kind === 'key' ? new Date(revocation.from) : null,
      expiresAt: new Date(revocation.until),
    })),
  );
}

type RevocationRow = typeof revocations.$inferSelect;

function toRevocation(row: RevocationRow): Revocation {
  const until = row.expiresAt.toISOString();
  switch (row.kind) {
    case 'session':
      return { kind: 'session', id: row.subject, until };
    case 'user':
      return {
        kind: 'user',
        id: row.subject,
        issuedBefore: row.issuedBefore!.toISOString(),
        until,
      };
    case 'key':
      return { kind: 'key', id: row.subject, from: row.startsAt!.toISOString(), until };
  }
}

/** The live revocations recorded since `since` (all of them without it), oldest first. */
export async function revocationFeedPage(
  db: Db,
  since: Date | undefined,
): Promise<RevocationFeedPage> {
  const clock = await db.execute(sql`select now() as now`);
  const [{ now }] = (clock as unknown as { rows: [{ now: string | Date }] }).rows;
  const rows = await db
    .select()
    .from(revocations)
    .where(
      and(
        gt(revocations.expiresAt, sql`now()`),
        since ? gt(revocations.createdAt, new Date(since.getTime() - CURSOR_MARGIN_MS)) : undefined,
      ),
    )
    .orderBy(revocations.createdAt);
  return { revocations: rows.map(toRevocation), cursor: new Date(now).toISOString() };
}

/** Drops revocations past their end; answers how many. */
export async function purgeRevocations(db: Db): Promise<number> {
  const gone = await db
    .delete(revocations)
    .where(sql`${revocations.expiresAt} <= now()`)
    .returning({ id: revocations.id });
  return gone.length;
}
