// Presence (awareness) of a document's clients: each replica follows the pubsub topic of the
// documents its subscribers watch, keeps the entries it has heard of with their expiry, and
// tells its subscribers of joins, changes and leaves. An entry leaves when its client says so,
// when the subscription that holds it ends (a disconnect), or when it is not renewed in time.
import { randomUUID } from 'node:crypto';
import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import { codedError } from '@supergraph/kit';
import {
  PRESENCE,
  REVOKED,
  type PresenceEventModel,
  type PresenceMessage,
  type UiPubSub,
} from './events.js';

/** Presence changes kept for a slow subscriber. */
const PRESENCE_BUFFER = 256;

interface Entry {
  userId: string;
  state: Record<string, unknown>;
  expiresAt: number;
}

interface Watched {
  entries: Map<string, Entry>;
  listeners: Set<(event: PresenceEventModel) => void>;
  /** Ends the pubsub subscription, while there are listeners here. */
  stop?: () => Promise<unknown>;
}

export class PresenceHub {
  /** Documents with present clients or subscribers here. */
  private readonly watched = new Map<string, Watched>();
  /** Tells this replica's own messages apart when the pubsub brings them back. */
  private readonly origin = randomUUID();
  private readonly sweeping: NodeJS.Timeout;

  constructor(
    private readonly pubsub: UiPubSub,
    private readonly timeoutMs: number,
    sweepMs = Math.max(100, Math.min(1_000, timeoutMs / 4)),
  ) {
    this.sweeping = setInterval(() => this.sweep(), sweepMs);
    this.sweeping.unref();
  }

  /**
   * Sets (state) or clears (null) a client's presence: here at once, and on every other
   * replica through the pubsub. A client id that another user's entry holds is refused, as
   * far as this replica knows of it.
   */
  set(
    documentId: string,
    clientId: string,
    userId: string,
    state: Record<string, unknown> | null,
  ): void {
    const watched = this.documentOf(documentId);
    const holder = watched.entries.get(clientId);
    if (holder && holder.userId !== userId) {
      throw codedError(
        'FORBIDDEN',
        `Client ${clientId} of document ${documentId} is another user's.`,
      );
    }
    const message: PresenceMessage = {
      origin: this.origin,
      documentId,
      clientId,
      userId,
      state,
      expiresAt: Date.now() + this.timeoutMs,
    };
    this.receive(watched, message);
    this.pubsub.publish(PRESENCE, documentId, message);
  }

  /** The document's presence changes for one subscriber: the present clients first. */
  stream(
    documentId: string,
    userId: string,
    clientId?: string | null,
  ): AsyncIterable<PresenceEventModel> {
    return new Repeater<PresenceEventModel>(async (push, stop) => {
      const watched = this.watch(documentId);
      for (const [id, entry] of watched.entries) {
        void push({
          documentId,
          change: 'JOIN',
          clientId: id,
          userId: entry.userId,
          state: entry.state,
        });
      }
      const listener = (event: PresenceEventModel) => void push(event);
      watched.listeners.add(listener);
      const revoked = this.pubsub.subscribe(REVOKED, documentId);
      void (async () => {
        for await (const { userId: lost } of revoked) {
          if (lost === userId) {
            stop(codedError('FORBIDDEN', `Access to document ${documentId} was taken away.`));
            return;
          }
        }
      })();
      await stop;
      await revoked.return();
      watched.listeners.delete(listener);
      if (clientId && watched.entries.get(clientId)?.userId === userId) {
        this.set(documentId, clientId, userId, null);
      }
      this.release(documentId, watched);
      // A subscriber too slow for the changes loses the oldest of them rather than the process
      // (a repeater throws past 1,024 pending pushes); renewals bring the state back.
    }, new SlidingBuffer(PRESENCE_BUFFER));
  }

  close(): void {
    clearInterval(this.sweeping);
    for (const watched of this.watched.values()) void watched.stop?.();
    this.watched.clear();
  }

  private documentOf(documentId: string): Watched {
    let watched = this.watched.get(documentId);
    if (!watched) {
      watched = { entries: new Map(), listeners: new Set() };
      this.watched.set(documentId, watched);
    }
    return watched;
  }

  /** Follows a document's presence topic while it has subscribers here. */
  private watch(documentId: string): Watched {
    const watched = this.documentOf(documentId);
    if (watched.stop) return watched;
    const messages = this.pubsub.subscribe(PRESENCE, documentId);
    watched.stop = () => messages.return();
    void (async () => {
      for await (const message of messages) {
        if (message.origin !== this.origin) this.receive(watched, message);
      }
    })();
    return watched;
  }

  /** Forgets a document nobody here watches or is present in. */
  private release(documentId: string, watched: Watched): void {
    if (watched.listeners.size > 0) return;
    const stop = watched.stop;
    watched.stop = undefined;
    void stop?.();
    if (watched.entries.size === 0 && this.watched.get(documentId) === watched) {
      this.watched.delete(documentId);
    }
  }

  private receive(watched: Watched, message: PresenceMessage): void {
    const { documentId, clientId, userId, state } = message;
    const known = watched.entries.get(clientId);
    if (known && known.userId !== userId) return;
    if (state === null) {
      if (!known) return;
      watched.entries.delete(clientId);
      this.emit(watched, { documentId, change: 'LEAVE', clientId, userId, state: null });
      return;
    }
    watched.entries.set(clientId, { userId, state, expiresAt: message.expiresAt });
    this.emit(watched, { documentId, change: known ? 'UPDATE' : 'JOIN', clientId, userId, state });
  }

  private sweep(now = Date.now()): void {
    for (const [documentId, watched] of this.watched) {
      for (const [clientId, entry] of watched.entries) {
        if (entry.expiresAt > now) continue;
        watched.entries.delete(clientId);
        this.emit(watched, {
          documentId,
          change: 'LEAVE',
          clientId,
          userId: entry.userId,
          state: null,
        });
      }
      if (watched.listeners.size === 0 && watched.entries.size === 0) {
        this.watched.delete(documentId);
      }
    }
  }

  private emit(watched: Watched, event: PresenceEventModel): void {
    for (const listener of watched.listeners) listener(event);
  }
}
