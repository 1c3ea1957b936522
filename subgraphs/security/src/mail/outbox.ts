// The outbox of mails: a mail is a row written in the transaction of what it tells, and a
// dispatcher in every replica claims unsent rows (FOR UPDATE SKIP LOCKED, so two replicas
// never take the same one), hands each to the Mailer and marks it sent. A failure is retried
// with exponential backoff; a claim is a lease, so a mail whose dispatcher died while sending
// is taken again once the lease ends (a mail may then go twice, never not at all).
import { and, asc, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Database, Logger } from '@supergraph/kit';
import { outboxEmails, type tables } from '../db/schema.js';
import type { Mail, Mailer } from './mailer.js';

type Db = Database<typeof tables>;
/** The database or a transaction of it. */
type Executor = Pick<Db, 'insert'>;

export const OUTBOX_DEFAULTS = {
  batch: 10,
  /** How long a claim lasts before another dispatcher may take the mail again. */
  leaseMs: 5 * 60_000,
  retryBaseMs: 5_000,
  retryMaxMs: 60 * 60_000,
  maxAttempts: 15,
};

/** Writes a mail to send; run it in the transaction of what it tells. */
export async function enqueueMail(db: Executor, mail: Mail, now: Date): Promise<void> {
  await db.insert(outboxEmails).values({ ...mail, createdAt: now, nextAttemptAt: now });
}

export const retryDelayMs = (attempts: number, settings = OUTBOX_DEFAULTS) =>
  Math.min(settings.retryBaseMs * 2 ** Math.max(attempts - 1, 0), settings.retryMaxMs);

export interface OutboxDispatcher {
  /** Looks for mails now (after a request wrote one), not at the next poll. */
  kick(): void;
  /** Sends what is due now; answers how many it claimed. */
  runOnce(): Promise<number>;
  close(): Promise<void>;
}

export function startOutboxDispatcher({
  db,
  mailer,
  logger,
  pollMs,
  now = Date.now,
  settings = OUTBOX_DEFAULTS,
}: {
  db: Db;
  mailer: Mailer;
  logger: Logger;
  pollMs: number;
  now?: () => number;
  settings?: typeof OUTBOX_DEFAULTS;
}): OutboxDispatcher {
  async function runOnce(): Promise<number> {
    const at = now();
    const due = db
      .select({ id: outboxEmails.id })
      .from(outboxEmails)
      .where(
        and(
          isNull(outboxEmails.sentAt),
          lte(outboxEmails.nextAttemptAt, new Date(at)),
          lt(outboxEmails.attempts, settings.maxAttempts),
        ),
      )
      .orderBy(asc(outboxEmails.createdAt))
      .limit(settings.batch)
      .for('update', { skipLocked: true });
    const claimed = await db
      .update(outboxEmails)
      .set({
        attempts: sql`${outboxEmails.attempts} + 1`,
        nextAttemptAt: new Date(at + settings.leaseMs),
      })
      .where(inArray(outboxEmails.id, due))
      .returning();
    for (const row of claimed) {
      try {
        await mailer.send({ to: row.to, subject: row.subject, text: row.text });
        await db
          .update(outboxEmails)
          .set({ sentAt: new Date(now()), lastError: null })
          .where(eq(outboxEmails.id, row.id));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const last = row.attempts >= settings.maxAttempts;
        (last ? logger.error : logger.warn).call(
          logger,
          { err: error, mailId: row.id, attempts: row.attempts },
          last ? 'outbox: giving up on a mail' : 'outbox: sending a mail failed; will retry',
        );
        await db
          .update(outboxEmails)
          .set({
            lastError: message.slice(0, 1_000),
            nextAttemptAt: new Date(now() + retryDelayMs(row.attempts, settings)),
          })
          .where(eq(outboxEmails.id, row.id));
      }
    }
    return claimed.length;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  function schedule(delayMs: number) {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(run, delayMs);
    timer.unref();
  }

  function run() {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        // A full batch means there may be more due.
        while ((await runOnce()) === settings.batch && !closed);
      } catch (error) {
        logger.error({ err: error }, 'outbox: dispatching failed');
      }
    })().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        schedule(0);
      } else {
        schedule(pollMs);
      }
    });
  }

  schedule(0);
  return {
    kick: () => schedule(0),
    runOnce,
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
      mailer.close();
    },
  };
}
