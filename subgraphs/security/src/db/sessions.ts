// Sessions and their refresh tokens. A refresh token is 32 random bytes, given out once and
// stored only as its SHA-256; exchanging it is one conditional UPDATE (used_at still null),
// so that two concurrent exchanges cannot both succeed. Exchanging an already used token is
// reuse, a sign that it was stolen: the whole session (every token of its family) ends.
import { and, desc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import { createHash, randomBytes } from 'node:crypto';
import { CLOCK_TOLERANCE_S, type Database, type Revocation } from '@supergraph/kit';
import { recordRevocations } from './revocations.js';
import { refreshTokens, sessions, type SessionRow, type tables } from './schema.js';

type Db = Database<typeof tables>;

export type RevokedReason =
  'logout' | 'revoked' | 'revoked-by-admin' | 'refresh-token-reuse' | 'password-reset';

export interface SessionLifetimes {
  /** How long one refresh token may wait to be exchanged. */
  refreshTtlSeconds: number;
  /** How long a session lasts at most from its login, however often it is refreshed. */
  sessionTtlSeconds: number;
  /** How long an access token lives: an ended session's revocation is held that long. */
  accessTtlSeconds: number;
}

export interface SessionMeta {
  userAgent?: string | null;
  ip?: string | null;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const newToken = () => randomBytes(32).toString('base64url');

const after = (seconds: number, from = Date.now()) => new Date(from + seconds * 1000);

async function issueRefreshToken(db: Db, session: SessionRow, lifetimes: SessionLifetimes) {
  const token = newToken();
  // Never past the session's own end.
  const expiresAt = new Date(
    Math.min(after(lifetimes.refreshTtlSeconds).getTime(), session.expiresAt.getTime()),
  );
  await db
    .insert(refreshTokens)
    .values({ tokenHash: hashToken(token), sessionId: session.id, expiresAt });
  return { refreshToken: token, refreshTokenExpiresAt: expiresAt };
}

/** A new session for a user who has just proved who they are, with its first refresh token. */
export async function startSession(
  db: Db,
  userId: string,
  meta: SessionMeta,
  lifetimes: SessionLifetimes,
) {
  const [session] = await db
    .insert(sessions)
    .values({
      userId,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
      ip: meta.ip?.slice(0, 64) ?? null,
      expiresAt: after(lifetimes.sessionTtlSeconds),
    })
    .returning();
  return { session: session!, ...(await issueRefreshToken(db, session!, lifetimes)) };
}

export type Exchange =
  | { ok: true; session: SessionRow; refreshToken: string; refreshTokenExpiresAt: Date }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' }
  | { ok: false; reason: 'reused'; ended: Ended };

/** Exchanges a refresh token for the next one of its session. */
export async function exchangeRefreshToken(
  db: Db,
  token: string,
  lifetimes: SessionLifetimes,
): Promise<Exchange> {
  const tokenHash = hashToken(token);
  return db.transaction(async (tx) => {
    const now = new Date();
    const [used] = await tx
      .update(refreshTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(refreshTokens.tokenHash, tokenHash),
          isNull(refreshTokens.usedAt),
          gt(refreshTokens.expiresAt, now),
        ),
      )
      .returning();
    if (!used) {
      const [known] = await tx
        .select()
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, tokenHash));
      if (!known) return { ok: false, reason: 'unknown' } as const;
      if (known.usedAt) {
        const ended = await endSessions(
          tx as unknown as Db,
          eq(sessions.id, known.sessionId),
          'refresh-token-reuse',
          lifetimes,
        );
        return { ok: false, reason: 'reused', ended } as const;
      }
      return { ok: false, reason: 'expired' } as const;
    }
    const [session] = await tx
      .update(sessions)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(sessions.id, used.sessionId),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, now),
        ),
      )
      .returning();
    if (!session) return { ok: false, reason: 'revoked' } as const;
    return {
      ok: true,
      session,
      ...(await issueRefreshToken(tx as unknown as Db, session, lifetimes)),
    };
  });
}

/** Sessions just ended, and the revocations of their access tokens to announce. */
export interface Ended {
  sessions: SessionRow[];
  revocations: Revocation[];
}

/** Ends the live sessions `which` selects, for `reason`, and records the revocation of their
 * access tokens (held until the last of them has expired) in the same transaction. */
function endSessions(
  db: Db,
  which: SQL | undefined,
  reason: RevokedReason,
  { accessTtlSeconds }: Pick<SessionLifetimes, 'accessTtlSeconds'>,
): Promise<Ended> {
  return db.transaction(async (tx) => {
    const now = Date.now();
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: new Date(now), revokedReason: reason })
      .where(and(which, isNull(sessions.revokedAt)))
      .returning();
    const until = after(accessTtlSeconds + CLOCK_TOLERANCE_S, now).toISOString();
    const revocations = ended.map((session): Revocation => ({
      kind: 'session',
      id: session.id,
      until,
    }));
    await recordRevocations(tx as unknown as Db, revocations);
    return { sessions: ended, revocations };
  });
}

/** Ends one of a user's sessions; no session if the user has no such live session. */
export async function revokeSession(
  db: Db,
  userId: string,
  sessionId: string,
  reason: RevokedReason,
  lifetimes: Pick<SessionLifetimes, 'accessTtlSeconds'>,
): Promise<Ended> {
  return endSessions(
    db,
    and(eq(sessions.id, sessionId), eq(sessions.userId, userId)),
    reason,
    lifetimes,
  );
}

/** Ends every live session of a user. */
export async function revokeUserSessions(
  db: Db,
  userId: string,
  reason: RevokedReason,
  lifetimes: Pick<SessionLifetimes, 'accessTtlSeconds'>,
): Promise<Ended> {
  return endSessions(db, eq(sessions.userId, userId), reason, lifetimes);
}

/** A user's live sessions, most recently used first. */
export async function liveSessions(db: Db, userId: string): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(sessions.lastUsedAt));
}

export async function sessionById(db: Db, id: string): Promise<SessionRow | undefined> {
  const [session] = await db.select().from(sessions).where(eq(sessions.id, id));
  return session;
}
