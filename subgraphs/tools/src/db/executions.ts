// The execution queue in PostgreSQL: executions are rows; workers of any replica claim the
// oldest queued ones under a lease they renew, and whoever sees a lease run out takes the
// execution back (queued again if its tool is idempotent, failed if not). A finish only lands
// while the finisher still holds the lease, so a run cut off by the reaper cannot overwrite
// what happened next.
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import { isUuid, rowsByIds } from '@supergraph/kit';
import {
  executions,
  type ExecutionLogValue,
  type ExecutionProgressValue,
  type ExecutionRow,
  type ExecutionStatusValue,
  type tables,
} from './schema.js';

type Db = Database<typeof tables>;

export const TERMINAL: readonly ExecutionStatusValue[] = [
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
];
export const isTerminal = (status: ExecutionStatusValue) => TERMINAL.includes(status);

// Claims are serialised over all replicas by one transaction-scoped advisory lock, so that the
// running counts they read (per user, overall) are exact: a claim is a few milliseconds.
const CLAIM_LOCK = 0x746f6f6c; // "tool"

export interface QueueLimits {
  maxQueued: number;
  maxQueuedPerUser: number;
  maxRunning: number;
  maxRunningPerUser: number;
  leaseMs: number;
}

export type NewExecution = Pick<
  typeof executions.$inferInsert,
  | 'toolId'
  | 'toolName'
  | 'toolVersion'
  | 'userId'
  | 'idempotencyKey'
  | 'arguments'
  | 'retryable'
  | 'maxAttempts'
  | 'timeoutMs'
>;

export type EnqueueResult =
  | { kind: 'created' | 'existing'; row: ExecutionRow }
  | { kind: 'overloaded'; scope: 'user' | 'all' };

/**
 * Queues an execution, or returns the caller's execution with the same idempotency key.
 * Refused (overloaded) when the queue, or the caller's part of it, is full.
 */
export async function enqueueExecution(
  db: Db,
  values: NewExecution,
  limits: Pick<QueueLimits, 'maxQueued' | 'maxQueuedPerUser'>,
): Promise<EnqueueResult> {
  if (values.idempotencyKey) {
    const existing = await executionByKey(db, values.userId, values.idempotencyKey);
    if (existing) return { kind: 'existing', row: existing };
  }
  const result = await db.execute(
    sql`SELECT count(*)::int AS "all", count(*) FILTER (WHERE user_id = ${values.userId})::int AS mine
        FROM executions WHERE status = 'queued'`,
  );
  const [counts] = (result as unknown as { rows: { all: number; mine: number }[] }).rows;
  if (counts!.mine >= limits.maxQueuedPerUser) return { kind: 'overloaded', scope: 'user' };
  if (counts!.all >= limits.maxQueued) return { kind: 'overloaded', scope: 'all' };
  const [row] = await db
    .insert(executions)
    .values(values)
    .onConflictDoNothing({
      target: [executions.userId, executions.idempotencyKey],
      where: sql`${executions.idempotencyKey} IS NOT NULL`,
    })
    .returning();
  if (row) return { kind: 'created', row };
  // The same key raced in from another request: that one's execution is this one's.
  const existing = await executionByKey(db, values.userId, values.idempotencyKey!);
  return { kind: 'existing', row: existing! };
}

async function executionByKey(db: Db, userId: string, key: string) {
  const [row] = await db
    .select()
    .from(executions)
    .where(and(eq(executions.userId, userId), eq(executions.idempotencyKey, key)));
  return row;
}

/**
 * Takes up to `want` queued executions for `owner`, oldest first, within the running limits
 * per user and overall; they become running under a lease of limits.leaseMs.
 */
export async function claimExecutions(
  db: Db,
  owner: string,
  want: number,
  limits: Pick<QueueLimits, 'maxRunning' | 'maxRunningPerUser' | 'leaseMs'>,
): Promise<ExecutionRow[]> {
  if (want <= 0) return [];
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`);
    const running = rowsOf<{ user_id: string; n: number }>(
      await tx.execute(
        sql`SELECT user_id, count(*)::int AS n FROM executions WHERE status = 'running' GROUP BY user_id`,
      ),
    );
    const perUser = new Map(running.map((row) => [row.user_id, row.n]));
    let free = limits.maxRunning - running.reduce((sum, row) => sum + row.n, 0);
    if (free <= 0) return [];
    // At most maxRunningPerUser candidates of each user, so that one user's long queue
    // cannot hide the others' work from the scan.
    const candidates = rowsOf<{ id: string; user_id: string }>(
      await tx.execute(
        sql`SELECT id, user_id FROM (
              SELECT id, user_id, created_at,
                     row_number() OVER (PARTITION BY user_id ORDER BY created_at) AS rank
              FROM executions WHERE status = 'queued') queued
            WHERE rank <= ${limits.maxRunningPerUser}
            ORDER BY created_at LIMIT ${want * limits.maxRunningPerUser}`,
      ),
    );
    const chosen: string[] = [];
    for (const { id, user_id: userId } of candidates) {
      if (chosen.length >= want || free <= 0) break;
      const mine = perUser.get(userId) ?? 0;
      if (mine >= limits.maxRunningPerUser) continue;
      perUser.set(userId, mine + 1);
      free -= 1;
      chosen.push(id);
    }
    if (chosen.length === 0) return [];
    return tx
      .update(executions)
      .set({
        status: 'running',
        worker: owner,
        leaseOwner: owner,
        leaseExpiresAt: sql`now() + ${`${limits.leaseMs} milliseconds`}::interval`,
        attempts: sql`${executions.attempts} + 1`,
        startedAt: sql`now()`,
      })
      .where(and(inArray(executions.id, chosen), eq(executions.status, 'queued')))
      .returning();
  });
}

export interface RunningState {
  logs: ExecutionLogValue[];
  logsTruncated: boolean;
  progress: ExecutionProgressValue | null;
}

/**
 * Extends the leases `owner` holds and saves what the runs logged so far. Returns the ids
 * still held, with whether someone asked to cancel them; a missing id's lease was lost.
 */
export async function renewLeases(
  db: Db,
  owner: string,
  states: Map<string, RunningState>,
  leaseMs: number,
): Promise<Map<string, { cancelRequested: boolean }>> {
  const held = new Map<string, { cancelRequested: boolean }>();
  // One statement per run: few runs per replica, and each has its own logs to save.
  for (const [id, state] of states) {
    const [row] = await db
      .update(executions)
      .set({
        leaseExpiresAt: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
        logs: state.logs,
        logsTruncated: state.logsTruncated,
        progress: state.progress,
      })
      .where(
        and(
          eq(executions.id, id),
          eq(executions.leaseOwner, owner),
          eq(executions.status, 'running'),
        ),
      )
      .returning({ id: executions.id, cancelRequested: executions.cancelRequested });
    if (row) held.set(row.id, { cancelRequested: row.cancelRequested });
  }
  return held;
}

export interface Finish extends RunningState {
  status: Exclude<ExecutionStatusValue, 'queued' | 'running'>;
  output?: unknown;
  outputTruncated?: boolean;
  errorCode?: string;
  errorMessage?: string;
  cpuMs?: number;
  memoryBytes?: number;
  durationMs: number;
}

/** Records how a run ended; undefined when `owner` no longer held its lease. */
export async function finishExecution(
  db: Db,
  id: string,
  owner: string,
  finish: Finish,
): Promise<ExecutionRow | undefined> {
  const [row] = await db
    .update(executions)
    .set({
      status: finish.status,
      output: finish.output === undefined ? null : (finish.output as object),
      outputTruncated: finish.outputTruncated ?? false,
      errorCode: finish.errorCode ?? null,
      errorMessage: finish.errorMessage ?? null,
      logs: finish.logs,
      logsTruncated: finish.logsTruncated,
      progress: finish.progress,
      cpuMs: finish.cpuMs === undefined ? null : Math.round(finish.cpuMs),
      memoryBytes: finish.memoryBytes ?? null,
      durationMs: Math.round(finish.durationMs),
      leaseOwner: null,
      leaseExpiresAt: null,
      finishedAt: sql`now()`,
    })
    .where(
      and(
        eq(executions.id, id),
        eq(executions.leaseOwner, owner),
        eq(executions.status, 'running'),
      ),
    )
    .returning();
  return row;
}

/**
 * Gives back runs `owner` holds without finishing them (the replica is stopping): queued
 * again when they may run again, failed otherwise.
 */
export async function releaseExecutions(
  db: Db,
  owner: string,
  ids: string[],
): Promise<ExecutionRow[]> {
  if (ids.length === 0) return [];
  return db
    .update(executions)
    .set(takeBack('WORKER_STOPPED', 'The tools replica running it stopped.'))
    .where(
      and(
        inArray(executions.id, ids),
        eq(executions.leaseOwner, owner),
        eq(executions.status, 'running'),
      ),
    )
    .returning();
}

/** Takes back running executions whose lease ran out (their replica died or hung). */
export function reapExpiredLeases(db: Db): Promise<ExecutionRow[]> {
  return db
    .update(executions)
    .set(
      takeBack(
        'LEASE_EXPIRED',
        'The worker running it stopped renewing its lease (its replica died or hung); the tool is not idempotent, so it was not run again.',
      ),
    )
    .where(and(eq(executions.status, 'running'), lt(executions.leaseExpiresAt, sql`now()`)))
    .returning();
}

// Queued again if the tool is idempotent, has attempts left and nobody cancelled it;
// otherwise finished: cancelled if asked, failed with the reason if not.
function takeBack(code: string, message: string) {
  const again = sql`(${executions.retryable} AND ${executions.attempts} < ${executions.maxAttempts} AND NOT ${executions.cancelRequested})`;
  return {
    status: sql`CASE WHEN ${again} THEN 'queued' WHEN ${executions.cancelRequested} THEN 'cancelled' ELSE 'failed' END`,
    errorCode: sql`CASE WHEN ${again} THEN NULL WHEN ${executions.cancelRequested} THEN 'CANCELLED' ELSE ${code} END`,
    errorMessage: sql`CASE WHEN ${again} THEN NULL WHEN ${executions.cancelRequested} THEN 'Cancelled.' ELSE ${message} END`,
    finishedAt: sql`CASE WHEN ${again} THEN NULL ELSE now() END`,
    leaseOwner: null,
    leaseExpiresAt: null,
  } as Record<string, unknown>;
}

/**
 * Cancels an unfinished execution: a queued one is cancelled here; a running one is flagged,
 * and its worker stops it. Undefined when it is already finished (or does not exist).
 */
export async function requestCancel(db: Db, id: string): Promise<ExecutionRow | undefined> {
  if (!isUuid(id)) return undefined;
  const queued = sql`${executions.status} = 'queued'`;
  const [row] = await db
    .update(executions)
    .set({
      status: sql`CASE WHEN ${queued} THEN 'cancelled' ELSE ${executions.status} END`,
      cancelRequested: true,
      errorCode: sql`CASE WHEN ${queued} THEN 'CANCELLED' ELSE ${executions.errorCode} END`,
      errorMessage: sql`CASE WHEN ${queued} THEN 'Cancelled before it started.' ELSE ${executions.errorMessage} END`,
      finishedAt: sql`CASE WHEN ${queued} THEN now() ELSE ${executions.finishedAt} END`,
    } as Record<string, unknown>)
    .where(and(eq(executions.id, id), inArray(executions.status, ['queued', 'running'])))
    .returning();
  return row;
}

/** Executions waiting for a worker, over all replicas. */
export async function queuedCount(db: Db): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`SELECT count(*)::int AS n FROM executions WHERE status = 'queued'`),
  );
  return row!.n;
}

export async function executionById(db: Db, id: string): Promise<ExecutionRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(executions).where(eq(executions.id, id));
  return row;
}

export const executionsByIds = (db: Db, ids: readonly string[]) =>
  rowsByIds(ids, (valid) => db.select().from(executions).where(inArray(executions.id, valid)));

export function listExecutions(
  db: Db,
  filter: { userId?: string; statuses?: ExecutionStatusValue[]; toolId?: string },
  first: number,
): Promise<ExecutionRow[]> {
  const conditions = [
    filter.userId === undefined ? undefined : eq(executions.userId, filter.userId),
    filter.statuses?.length ? inArray(executions.status, filter.statuses) : undefined,
    filter.toolId === undefined ? undefined : eq(executions.toolId, filter.toolId),
  ];
  return db
    .select()
    .from(executions)
    .where(and(...conditions))
    .orderBy(desc(executions.createdAt), desc(executions.id))
    .limit(first);
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;
