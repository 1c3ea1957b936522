// Brute-force protection of sign-in: failed attempts counted per account (the normalized
// email, known or not, so that an unknown address is throttled exactly like a known one) and
// per client address, in PostgreSQL so that every replica counts the same. A key over its
// budget is locked; each further lock (without a quiet window between) lasts twice as long,
// up to a cap. The account's owner hears of the failures at their next sign-in.
//
// An attempt takes its point before it runs (so parallel guesses
// cannot get past the budget) and a success gives it back. Written here rather than with
// rate-limiter-flexible: its Postgres store has no doubling lock nor the owner's notice.
import { accountKey, codedError, routedClient, type ClientRequestContext } from '@supergraph/kit';
import type { GraphQLError } from 'graphql';
import type { SecurityContext } from './context.js';
import {
  clearThrottle,
  pruneThrottles,
  updateThrottles,
  type ThrottleRow,
} from './db/sign-in-throttles.js';
import { recordSecurityEvent } from './security-events.js';
import type { SignInThrottleSettings } from './sign-in-throttle-settings.js';

const MS = 1000;

type Scope = 'account' | 'ip';
interface Reservation {
  key: string;
  scope: Scope;
  /** The row as it was, to restore when the attempt succeeds and this one locked it. */
  before: ThrottleRow;
  /** Whether this attempt used the key's last point, locking it. */
  locked: Date | null;
}

type Context = Pick<SecurityContext, 'db' | 'logger' | 'signInThrottle'>;

const keyOf = (scope: Scope, value: string) => `${scope}:${value}`;
export const accountThrottleKey = (email: string) => keyOf('account', accountKey(email));

/** The length of lock number `level` (1, 2, …). */
export const lockMs = (settings: SignInThrottleSettings, level: number) =>
  Math.min(settings.lockSeconds * 2 ** (level - 1), settings.maxLockSeconds) * MS;

/** The same refusal whichever key is locked, and whether the account exists or not. */
export function lockedError(retryAfterSeconds: number): GraphQLError {
  return codedError(
    'RATE_LIMITED',
    `Too many failed sign-in attempts: try again in ${retryAfterSeconds} s.`,
    {
      extensions: {
        retryAfterSeconds,
        retryAfter: retryAfterSeconds,
        http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
      },
    },
  );
}

/** Takes a point of each key, or throws RATE_LIMITED when one of them is locked. */
async function reserve(context: Context, keys: { key: string; scope: Scope }[]) {
  const settings = context.signInThrottle;
  const now = settings.now();
  const scopes = new Map(keys.map(({ key, scope }) => [key, scope]));
  const outcome = await updateThrottles<{ lockedFor: number } | { reservations: Reservation[] }>(
    context.db,
    [...scopes.keys()],
    new Date(now),
    (rows) => {
      const locks = rows
        .map((row) => row.lockedUntil?.getTime() ?? 0)
        .filter((until) => until > now);
      if (locks.length > 0) {
        return { updates: new Map(), result: { lockedFor: Math.max(...locks) - now } };
      }
      const updates = new Map<string, Partial<ThrottleRow>>();
      const reservations: Reservation[] = rows.map((row) => {
        const scope = scopes.get(row.key)!;
        const fresh = now >= row.windowStartedAt.getTime() + settings.windowSeconds * MS;
        const level = fresh ? 0 : row.lockLevel;
        const failures = (fresh ? 0 : row.failures) + 1;
        // After a lock, the next failure within the window locks again, for twice as long.
        const budget =
          level > 0 ? 1 : scope === 'account' ? settings.accountFailures : settings.ipFailures;
        if (failures < budget) {
          updates.set(row.key, {
            failures,
            lockLevel: level,
            windowStartedAt: fresh ? new Date(now) : row.windowStartedAt,
          });
          return { key: row.key, scope, before: row, locked: null };
        }
        const lockedUntil = new Date(now + lockMs(settings, level + 1));
        updates.set(row.key, {
          failures: 0,
          lockLevel: level + 1,
          lockedUntil,
          // The window of the next lock starts when this one ends.
          windowStartedAt: lockedUntil,
        });
        return { key: row.key, scope, before: row, locked: lockedUntil };
      });
      return { updates, result: { reservations } };
    },
  );
  if ('lockedFor' in outcome) throw lockedError(Math.ceil(outcome.lockedFor / MS));
  return outcome.reservations;
}

/** A success gives each key its point back (and lifts the lock that point made). */
async function refund(context: Context, reservations: Reservation[]) {
  const now = new Date(context.signInThrottle.now());
  const taken = new Map(reservations.map((reservation) => [reservation.key, reservation]));
  await updateThrottles(context.db, [...taken.keys()], now, (rows) => {
    const updates = new Map<string, Partial<ThrottleRow>>();
    for (const row of rows) {
      const { before, locked } = taken.get(row.key)!;
      if (locked && row.lockedUntil?.getTime() === locked.getTime()) {
        const { failures, lockLevel, lockedUntil, windowStartedAt } = before;
        updates.set(row.key, { failures, lockLevel, lockedUntil, windowStartedAt });
      } else if (!locked) {
        updates.set(row.key, { failures: Math.max(row.failures - 1, 0) });
      }
    }
    return { updates, result: undefined };
  });
}

/** A failure keeps its point; on the account it is also counted for the owner's notice. */
async function recordFailure(context: Context, reservations: Reservation[], userId: string | null) {
  const now = new Date(context.signInThrottle.now());
  const account = reservations.find((reservation) => reservation.scope === 'account');
  if (account) {
    await updateThrottles(context.db, [account.key], now, ([row]) => ({
      updates: new Map([
        [
          account.key,
          {
            unseenFailures: (row?.unseenFailures ?? 0) + 1,
            lastFailedAt: now,
            ...(account.locked ? { lastLockedUntil: account.locked } : {}),
          },
        ],
      ]),
      result: undefined,
    }));
  }
  for (const { scope, locked } of reservations) {
    if (!locked) continue;
    await recordSecurityEvent(context, {
      type: 'sign-in.locked',
      userId: scope === 'account' ? userId : null,
      details: {
        scope,
        lockedUntil: locked.toISOString(),
        lockSeconds: Math.round((locked.getTime() - now.getTime()) / MS),
      },
    });
  }
}

/** What failed a credential attempt: the account it was for, when there is one. */
export class FailedAttempt extends Error {
  constructor(
    readonly refusal: GraphQLError,
    readonly userId: string | null,
  ) {
    super(refusal.message);
  }
}

/**
 * Runs a credential attempt for the account of `email`, from the caller's address: refused
 * with RATE_LIMITED while either is locked (before anything about the account is looked
 * at); a throw counts as a failure, a return gives the point back. Throw a FailedAttempt to
 * name the account of the failure (for its lock event); its refusal is what the caller gets.
 */
export async function throttleSignIn<T>(
  context: SecurityContext,
  email: string,
  attempt: () => Promise<T>,
  /** The account's id, when the caller knows it already. */
  userId: string | null = null,
): Promise<T> {
  const reservations = await reserve(context, [
    { key: accountThrottleKey(email), scope: 'account' },
    {
      key: keyOf('ip', routedClient(context as ClientRequestContext).address),
      scope: 'ip',
    },
  ]);
  let result: T;
  try {
    result = await attempt();
  } catch (error) {
    const failed = error instanceof FailedAttempt ? error : undefined;
    await recordFailure(context, reservations, failed?.userId ?? userId);
    throw failed ? failed.refusal : error;
  }
  await refund(context, reservations);
  return result;
}

export interface SignInNoticeValue {
  failedAttempts: number;
  lastFailedAt: Date | null;
  lockedUntil: Date | null;
}

/**
 * At a successful sign-in: the account's count starts afresh, and what failed since the
 * last sign-in is told to its owner (null when nothing did).
 */
export async function takeSignInNotice(
  context: Pick<SecurityContext, 'db'>,
  email: string,
): Promise<SignInNoticeValue | null> {
  const row = await clearThrottle(context.db, accountThrottleKey(email));
  if (!row || row.unseenFailures === 0) return null;
  return {
    failedAttempts: row.unseenFailures,
    lastFailedAt: row.lastFailedAt,
    lockedUntil: row.lastLockedUntil,
  };
}

/** How long the owner's notice of failures waits for their next sign-in. */
const NOTICE_KEPT_MS = 30 * 86_400_000;
const PRUNE_EVERY_MS = 10 * 60_000;

/** Removes spent rows now and then (any replica may: the delete is idempotent). */
export function startThrottlePruning(
  context: Pick<SecurityContext, 'db' | 'logger' | 'signInThrottle'>,
): () => void {
  const timer = setInterval(() => {
    const settings = context.signInThrottle;
    const now = settings.now();
    const quiet = Math.max(settings.windowSeconds, settings.maxLockSeconds) * MS;
    pruneThrottles(context.db, new Date(now - quiet), new Date(now - NOTICE_KEPT_MS)).catch(
      (error: unknown) => context.logger.warn({ err: error }, 'pruning sign-in throttles failed'),
    );
  }, PRUNE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
