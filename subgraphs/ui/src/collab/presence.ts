// Presence (awareness) of a document's clients: each replica follows the pubsub topic of the
// documents its subscribers watch, keeps the entries it has heard of with their expiry, and
// tells its subscribers of joins, changes and leaves. An entry leaves when its client says so,
// when the subscription that holds it ends (a disconnect), or when it is not renewed in time.
import { Repeater } from 'graphql-yoga';
import { codedError } from '@supergraph/kit';
import {
  PRESENCE,
  REVOKED,
  type PresenceEventModel,
  type PresenceMessage,
  type UiPubSub,
} from './events.js';

interface Entry {
  userId: string;
  state: Record<string, unknown>;
  expiresAt: number;
}

interface Watched {
  entries: Map<string, Entry>;
  listeners: Set<(event: PresenceEventModel) => void>;
  stop: () => Promise<unknown>;
}

export class PresenceHub {
  private readonly watched = new Map<string, Watched>();
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
   * Sets (state) or clears (null) a client's presence, for every replica. A client id that
   * another user's entry holds is refused, as far as this replica knows of it.
   */
  set(
    documentId: string,
    clientId: string,
    userId: string,
    state: Record<string, unknown> | null,
  ): void {
    const holder = this.watched.get(documentId)?.entries.get(clientId);
    if (holder && holder.userId !== userId) {
      throw codedError(
        'FORBIDDEN',
        `Client ${clientId} of document ${documentId} is another user's.`,
      );
    }
    const message: PresenceMessage = {
      documentId,
      clientId,
      userId,
      state,
      expiresAt: Date.now() + this.timeoutMs,
    };
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
      if (watched.listeners.size === 0) {
        this.watched.delete(documentId);
        await watched.stop();
      }
    });
  }

  close(): void {
    clearInterval(this.sweeping);
    for (const watched of this.watched.values()) void watched.stop();
    this.watched.clear();
  }

  /** Follows a document's presence topic while it has subscribers here. */
  private watch(documentId: string): Watched {
    const existing = this.watched.get(documentId);
    if (existing) return existing;
    const messages = this.pubsub.subscribe(PRESENCE, documentId);
    const watched: Watched = {
      entries: new Map(),
      listeners: new Set(),
      stop: () => messages.return(),
    };
    this.watched.set(documentId, watched);
    void (async () => {
      for await (const message of messages) this.receive(watched, message);
    })();
    return watched;
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
    }
  }

  private emit(watched: Watched, event: PresenceEventModel): void {
    for (const listener of watched.listeners) listener(event);
  }
}
