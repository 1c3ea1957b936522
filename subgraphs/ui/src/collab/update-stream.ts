// documentUpdates: a document's updates in sequence order, without gap or duplicate. It
// listens to the pubsub first, then replays the stored log after `after`, then passes live
// events on; an event further ahead than the next number (published out of order by another
// replica, or one the pubsub lost) is preceded by a replay of what lies between, which is
// committed already: a writer holds the document's row lock until its update commits. An
// idle stream also checks the log now and then, because a Redis pubsub drops messages while
// it reconnects.
import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import { codedError } from '@supergraph/kit';
import { logAfter, type Db } from '../db/updates.js';
import { toBase64 } from './codec.js';
import { REVOKED, UPDATE, type UiPubSub, type UpdateEvent } from './events.js';

export interface UpdateStreamOptions {
  db: Db;
  pubsub: UiPubSub;
  documentId: string;
  /** The last seq the client has. */
  after: number;
  /** The subscriber, whose lost access ends the stream. */
  userId: string;
  /** How long an idle stream waits before it checks the log. */
  pollMs: number;
}

/** Signals a stream keeps for a slow subscriber before the oldest are dropped. */
const SIGNAL_BUFFER = 256;

type Signal = { kind: 'update'; event: UpdateEvent } | { kind: 'revoked' } | { kind: 'tick' };

/**
 * The stream's inputs as one Repeater: live updates, lost access and poll ticks. (Repeaters,
 * not async generators: a generator suspended in `for await` cannot be returned, so ending
 * the stream would wait forever.)
 */
function signalsOf({ pubsub, documentId, userId, pollMs }: UpdateStreamOptions) {
  // A slow subscriber's signals slide: the oldest are dropped rather than overflowing the
  // repeater (1,024 pending pushes throw and would end the process). A dropped update is read
  // from the log, as the next one is ahead of the stream; lost access is a flag as well.
  let lost = false;
  const signals = new Repeater<Signal>(async (push, stop) => {
    const updates = pubsub.subscribe(UPDATE, documentId);
    const revoked = pubsub.subscribe(REVOKED, documentId);
    const timer = setInterval(() => void push({ kind: 'tick' }), pollMs);
    void (async () => {
      for await (const event of updates) void push({ kind: 'update', event });
    })();
    void (async () => {
      for await (const taken of revoked) {
        if (taken.userId !== userId) continue;
        lost = true;
        void push({ kind: 'revoked' });
      }
    })();
    await stop;
    clearInterval(timer);
    await Promise.all([updates.return(), revoked.return()]);
  }, new SlidingBuffer(SIGNAL_BUFFER));
  return Object.assign(signals, { revoked: () => lost });
}

/**
 * The stream itself is a Repeater too: the generator below, suspended at `await pending`,
 * would take a return() (an unsubscribe, a disconnect) only at its next signal, holding its
 * pubsub listeners and poll timer until then (up to pollMs). Stopping the repeater ends the
 * signals, which settles that await at once.
 */
export function documentUpdateStream(options: UpdateStreamOptions): AsyncIterable<UpdateEvent> {
  return new Repeater<UpdateEvent>(async (push, stop) => {
    const signals = signalsOf(options);
    void stop.then(() => signals.return());
    try {
      for await (const event of orderedUpdates(options, signals)) await push(event);
      stop();
    } catch (error) {
      stop(error);
    }
  });
}

async function* orderedUpdates(
  options: UpdateStreamOptions,
  signals: ReturnType<typeof signalsOf>,
): AsyncGenerator<UpdateEvent> {
  const { db, documentId } = options;
  const iterator = signals[Symbol.asyncIterator]();
  // The first next() starts the listeners: events from now on are kept for us.
  let pending = iterator.next();
  let last = options.after;
  async function* replay(): AsyncGenerator<UpdateEvent> {
    for (;;) {
      const rows = await logAfter(db, documentId, last);
      for (const row of rows) {
        last = row.seq;
        yield {
          documentId,
          seq: row.seq,
          update: toBase64(row.update),
          clientId: row.clientId,
          authorId: row.authorId,
          createdAt: row.createdAt.toISOString(),
        };
      }
      if (rows.length === 0) return;
    }
  }
  try {
    yield* replay();
    for (;;) {
      const { value, done } = await pending;
      if (done) return;
      if (value.kind === 'revoked' || signals.revoked()) {
        throw codedError('FORBIDDEN', `Access to document ${documentId} was taken away.`);
      }
      if (value.kind === 'tick' || value.event.seq > last + 1) yield* replay();
      if (value.kind === 'update' && value.event.seq === last + 1) {
        last = value.event.seq;
        yield value.event;
      }
      pending = iterator.next();
    }
  } finally {
    await iterator.return?.();
  }
}
