// The provider's local updates on their way to the server: at most one applyDocumentUpdates
// in flight; what is edited meanwhile is merged and sent when the acknowledgement returns;
// failures the server may recover from are retried with backoff. While the provider is not
// synced nothing is queued: the next sync sends everything the server lacks, by state vector.
import * as Y from 'yjs';
import { backoffDelay } from './backoff.js';
import type { Cancellable, CollabError } from './transport.js';

export interface OutboxOptions {
  /** Sends one call's updates; resolves when the server has stored them. */
  send(updates: Uint8Array[]): Cancellable<unknown>;
  /** A refusal that retrying cannot fix; the updates are dropped. */
  onFatal(error: CollabError): void;
  maxUpdateBytes: number;
  maxUpdatesPerCall: number;
  retryBaseMs: number;
  retryCapMs: number;
}

/** Up to maxCount updates of at most maxBytes each, merging neighbours where they fit, and how
 * many queued updates they hold. An update larger than maxBytes alone goes as it is (the server
 * refuses it, which the caller reports). */
export function packUpdates(queue: Uint8Array[], maxBytes: number, maxCount: number) {
  const all = Y.mergeUpdates(queue);
  if (all.length <= maxBytes) return { updates: [all], taken: queue.length };
  const updates: Uint8Array[] = [];
  let current: Uint8Array | undefined;
  let taken = 0;
  for (const update of queue) {
    const merged: Uint8Array = current ? Y.mergeUpdates([current, update]) : update;
    if (current && merged.length > maxBytes) {
      updates.push(current);
      if (updates.length === maxCount) return { updates, taken };
      current = update;
    } else {
      current = merged;
    }
    taken += 1;
  }
  if (current) updates.push(current);
  return { updates, taken };
}

export class Outbox {
  private queue: Uint8Array[] = [];
  private inFlight: Cancellable<unknown> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private accepting = false;
  /** Local changes the server may lack that are in no queue: the next sync sends them. */
  private dirty = false;
  /** The server refused this client's updates (a viewer): nothing more is sent. */
  private refused = false;

  constructor(private readonly options: OutboxOptions) {}

  /** Local changes not yet acknowledged by the server. */
  get pending(): boolean {
    return this.dirty || this.queue.length > 0 || this.inFlight !== undefined;
  }

  /** Whether a sync has to push the client's state (changes made while not synced). */
  get needsPush(): boolean {
    return this.dirty || this.queue.length > 0;
  }

  push(update: Uint8Array) {
    if (this.refused) return;
    if (!this.accepting) {
      this.dirty = true;
      return;
    }
    this.queue.push(update);
    this.flush();
  }

  /** Synced: sends `initial` (what the server lacks) and then every local update. */
  open(initial: Uint8Array | undefined) {
    this.accepting = true;
    this.dirty = false;
    this.queue = initial && !this.refused ? [initial] : [];
    this.attempt = 0;
    this.flush();
  }

  /** Not synced any more: what was queued or in flight is left to the next sync. */
  close() {
    this.accepting = false;
    if (this.inFlight || this.queue.length > 0) this.dirty = true;
    this.inFlight?.cancel();
    this.inFlight = undefined;
    this.queue = [];
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private flush() {
    if (!this.accepting || this.inFlight || this.retryTimer || this.queue.length === 0) return;
    const { maxUpdateBytes, maxUpdatesPerCall } = this.options;
    const { updates, taken } = packUpdates(this.queue, maxUpdateBytes, maxUpdatesPerCall);
    this.queue.splice(0, taken);
    const call = this.options.send(updates);
    this.inFlight = call;
    call.promise.then(
      () => {
        if (this.inFlight !== call) return;
        this.inFlight = undefined;
        this.attempt = 0;
        this.flush();
      },
      (error: CollabError) => {
        if (this.inFlight !== call) return;
        this.inFlight = undefined;
        if (error.fatal) {
          if (error.code === 'FORBIDDEN') this.refused = true;
          if (this.refused) this.queue = [];
          this.options.onFatal(error);
          this.flush();
          return;
        }
        // Kept in order at the front; a lost connection closes the outbox meanwhile and the
        // next sync sends it instead.
        this.queue.unshift(...updates);
        this.scheduleRetry();
      },
    );
  }

  private scheduleRetry() {
    const { retryBaseMs, retryCapMs } = this.options;
    const delay = backoffDelay(this.attempt, retryBaseMs, retryCapMs);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flush();
    }, delay);
  }
}
