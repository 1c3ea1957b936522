// CollabProvider: keeps a Y.Doc and its Awareness in sync with a collaborative document of the
// supergraph, through the router's GraphQL API over the caller's graphql-ws client.
import { fromBase64, toBase64 } from 'lib0/buffer';
import { ObservableV2 } from 'lib0/observable';
import type { Client } from 'graphql-ws';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { backoffDelay } from './backoff.js';
import {
  APPLY_DOCUMENT_UPDATES,
  DOCUMENT_SYNC,
  DOCUMENT_UPDATES,
  type DocumentSyncData,
  type DocumentUpdatesData,
} from './operations.js';
import { Outbox } from './outbox.js';
import { PresenceBinding } from './presence.js';
import { SequenceTracker } from './sequence.js';
import { CollabError, request, subscribe, type Cancellable } from './transport.js';

/** The server's limits on one applyDocumentUpdates call (MAX_UPDATE_BYTES, 100 updates). */
const MAX_UPDATE_BYTES = 256 * 1024;
const MAX_UPDATES_PER_CALL = 100;
/** The server forgets presence after 30 s without renewal. */
const PRESENCE_RENEW_MS = 15_000;
/** Cursor moves come in bursts; one setDocumentPresence per this interval carries the last. */
const PRESENCE_THROTTLE_MS = 50;
const RETRY_BASE_MS = 250;
const RETRY_CAP_MS = 10_000;

export interface CollabProviderOptions {
  /** A graphql-ws client to the router (the caller creates and disposes it). */
  client: Client;
  documentId: string;
  doc: Y.Doc;
  /** Created for doc if absent (and then destroyed with the provider). */
  awareness?: Awareness;
  presenceRenewMs?: number;
  presenceThrottleMs?: number;
  /** Backoff of retried updates and reconnections: full jitter, base·2^attempt up to cap. */
  retryBaseMs?: number;
  retryCapMs?: number;
  maxUpdateBytes?: number;
}

export type CollabStatus = 'connecting' | 'connected' | 'disconnected';

/** Sequence numbers of the document's updates the provider now holds, and how they came. */
export interface SequenceEvent {
  seqs: number[];
  /** 'sync': covered by a documentSync; 'subscription': one documentUpdates event. */
  source: 'sync' | 'subscription';
  /** The sending client of a subscription event (this provider's own: an echo, not applied). */
  clientId?: string | null;
}

export interface CollabProviderEvents {
  synced: (synced: boolean) => void;
  status: (event: { status: CollabStatus }) => void;
  error: (error: CollabError) => void;
  sequence: (event: SequenceEvent) => void;
}

export class CollabProvider extends ObservableV2<CollabProviderEvents> {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly documentId: string;
  private readonly client: Client;
  private readonly ownsAwareness: boolean;
  private readonly retryBaseMs: number;
  private readonly retryCapMs: number;
  private readonly sequence = new SequenceTracker();
  /** Every clientId this provider sent updates as (Yjs may change doc.clientID). */
  private readonly ownClientIds = new Set<string>();
  private readonly outbox: Outbox;
  private readonly presence: PresenceBinding;
  private readonly unlisten: (() => void)[];
  private waiters: { resolve(): void; reject(error: Error): void }[] = [];
  /** Bumped whenever a session (sync, streams) ends: late answers of an old one are ignored. */
  private session = 0;
  private syncRequest: Cancellable<DocumentSyncData> | undefined;
  private stopUpdates: (() => void) | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private isSynced = false;
  private currentStatus: CollabStatus = 'disconnected';
  /** Destroyed, or refused for good (FORBIDDEN, NOT_FOUND): no more reconnecting. */
  private stopped = false;

  constructor({
    client,
    documentId,
    doc,
    awareness,
    presenceRenewMs = PRESENCE_RENEW_MS,
    presenceThrottleMs = PRESENCE_THROTTLE_MS,
    retryBaseMs = RETRY_BASE_MS,
    retryCapMs = RETRY_CAP_MS,
    maxUpdateBytes = MAX_UPDATE_BYTES,
  }: CollabProviderOptions) {
    super();
    this.client = client;
    this.documentId = documentId;
    this.doc = doc;
    this.ownsAwareness = !awareness;
    this.awareness = awareness ?? new Awareness(doc);
    this.retryBaseMs = retryBaseMs;
    this.retryCapMs = retryCapMs;
    this.outbox = new Outbox({
      send: (updates) => this.sendUpdates(updates),
      onFatal: (error) => this.emit('error', [error]),
      maxUpdateBytes,
      maxUpdatesPerCall: MAX_UPDATES_PER_CALL,
      retryBaseMs,
      retryCapMs,
    });
    this.presence = new PresenceBinding({
      client,
      documentId,
      awareness: this.awareness,
      origin: this,
      renewMs: presenceRenewMs,
      throttleMs: presenceThrottleMs,
      retryBaseMs,
      retryCapMs,
      onError: (error) => this.emit('error', [error]),
      onEnded: (error) => this.sessionFailed(error ?? streamEnded('presence')),
    });
    doc.on('update', this.onDocUpdate);
    doc.on('destroy', this.onDocDestroy);
    this.unlisten = [client.on('closed', this.onClosed), client.on('connected', this.onConnected)];
    this.connect();
  }

  /** True after a sync until the connection is lost. */
  get synced(): boolean {
    return this.isSynced;
  }

  get status(): CollabStatus {
    return this.currentStatus;
  }

  /** The highest sequence number up to which every update is held (where a resume starts). */
  get seq(): number {
    return this.sequence.contiguous;
  }

  /** Local changes the server has not acknowledged yet. */
  get hasUnsyncedChanges(): boolean {
    return this.outbox.pending;
  }

  /** Resolves at the next (or current) synced state; rejects if the provider stops first. */
  whenSynced(): Promise<void> {
    if (this.isSynced) return Promise.resolve();
    if (this.stopped) return Promise.reject(new Error('the provider is stopped'));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Leaves presence and ends the subscriptions; the graphql-ws client stays the caller's. */
  override destroy() {
    if (this.stopped && !this.unlisten.length) return;
    this.presence.destroy(this.isSynced);
    this.stop();
    this.unlisten.splice(0).forEach((unlisten) => unlisten());
    this.doc.off('update', this.onDocUpdate);
    this.doc.off('destroy', this.onDocDestroy);
    if (this.ownsAwareness) this.awareness.destroy();
    super.destroy();
  }

  /** A new session: sync by state vector, then stream updates and presence. */
  private connect() {
    if (this.stopped) return;
    this.endSession();
    const session = this.session;
    this.setStatus('connecting');
    const call = request<DocumentSyncData>(
      this.client,
      {
        query: DOCUMENT_SYNC,
        variables: { id: this.documentId, stateVector: toBase64(Y.encodeStateVector(this.doc)) },
      },
      'sync',
    );
    this.syncRequest = call;
    call.promise.then(
      ({ documentSync }) => session === this.session && this.onSync(documentSync),
      (error: CollabError) => session === this.session && this.sessionFailed(error),
    );
  }

  private onSync({ update, stateVector, seq }: DocumentSyncData['documentSync']) {
    this.syncRequest = undefined;
    let push: boolean;
    let serverVector: Uint8Array;
    try {
      Y.applyUpdate(this.doc, fromBase64(update), this);
      // What the server lacks: edits made while not synced (or lost in flight), or a doc that
      // came with content of its own.
      serverVector = fromBase64(stateVector);
      push = this.outbox.needsPush || hasStateBeyond(this.doc, serverVector);
    } catch (error) {
      // An answer that is not Yjs: say so, and try again later.
      this.emit('error', [asError(error, 'sync')]);
      this.sessionFailed(asError(error, 'sync'));
      return;
    }
    const covered = this.sequence.coverUpTo(seq);
    if (covered.length) this.emit('sequence', [{ seqs: covered, source: 'sync' }]);
    this.streamUpdates();
    this.outbox.open(push ? Y.encodeStateAsUpdate(this.doc, serverVector) : undefined);
    this.presence.start();
    this.attempt = 0;
    this.setStatus('connected');
    this.setSynced(true);
  }

  private streamUpdates() {
    const session = this.session;
    this.stopUpdates = subscribe<DocumentUpdatesData>(
      this.client,
      {
        query: DOCUMENT_UPDATES,
        variables: { documentId: this.documentId, after: this.sequence.contiguous },
      },
      'updates',
      {
        next: ({ documentUpdates }) => this.onRemoteUpdate(documentUpdates),
        end: (error) =>
          session === this.session && this.sessionFailed(error ?? streamEnded('updates')),
      },
    );
  }

  private onRemoteUpdate({ seq, update, clientId }: DocumentUpdatesData['documentUpdates']) {
    // Applied even out of order (Yjs holds an update until what it builds on arrives); a seq
    // already held (a resumed stream's overlap) is skipped.
    if (!this.sequence.add(seq)) return;
    const echo = clientId !== null && this.ownClientIds.has(clientId);
    try {
      if (!echo) Y.applyUpdate(this.doc, fromBase64(update), this);
    } catch (error) {
      // Not a Yjs update: say so, and catch up by state vector rather than by this event.
      this.emit('error', [asError(error, 'updates')]);
      this.sessionFailed(asError(error, 'updates'));
      return;
    }
    this.emit('sequence', [{ seqs: [seq], source: 'subscription', clientId }]);
  }

  private sendUpdates(updates: Uint8Array[]) {
    const clientId = String(this.doc.clientID);
    this.ownClientIds.add(clientId);
    return request(
      this.client,
      {
        query: APPLY_DOCUMENT_UPDATES,
        variables: {
          input: { documentId: this.documentId, clientId, updates: updates.map(toBase64) },
        },
      },
      'update',
    );
  }

  /** Ends the current session's requests and streams; what is unsent waits for the next. */
  private endSession() {
    this.session += 1;
    this.syncRequest?.cancel();
    this.syncRequest = undefined;
    this.stopUpdates?.();
    this.stopUpdates = undefined;
    this.outbox.close();
    this.presence.stop();
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private sessionFailed(error: CollabError) {
    if (this.stopped) return;
    if (error.fatal) {
      this.emit('error', [error]);
      this.stop();
      return;
    }
    this.endSession();
    this.setSynced(false);
    this.setStatus('disconnected');
    this.scheduleReconnect(backoffDelay(this.attempt++, this.retryBaseMs, this.retryCapMs));
  }

  private scheduleReconnect(delayMs: number) {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delayMs);
  }

  private stop() {
    this.stopped = true;
    this.endSession();
    this.setSynced(false);
    this.setStatus('disconnected');
    const error = new Error('the provider is stopped');
    this.waiters.splice(0).forEach((waiter) => waiter.reject(error));
  }

  private setSynced(synced: boolean) {
    if (synced === this.isSynced) return;
    this.isSynced = synced;
    this.emit('synced', [synced]);
    if (synced) this.waiters.splice(0).forEach((waiter) => waiter.resolve());
  }

  private setStatus(status: CollabStatus) {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    this.emit('status', [{ status }]);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== this) this.outbox.push(update);
  };

  private readonly onDocDestroy = () => this.destroy();

  /** The socket is gone: a live session ends at once (so that graphql-ws does not replay its
   * mutation on the next socket), and a new sync waits for the reconnection. */
  private readonly onClosed = () => {
    if (this.stopped || !this.isSynced) return;
    this.endSession();
    this.setSynced(false);
    this.setStatus('disconnected');
    // After graphql-ws has finished with the closed socket.
    this.scheduleReconnect(0);
  };

  /** Connected again while waiting to retry: sync now rather than at the end of the backoff. */
  private readonly onConnected = () => {
    if (this.reconnectTimer === undefined || this.stopped) return;
    this.connect();
  };
}

/** A failure of the provider's own handling (an answer it cannot apply) as a CollabError that
 * a new session may get past. */
function asError(error: unknown, operation: string): CollabError {
  if (error instanceof CollabError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CollabError(message, undefined, operation, false);
}

function streamEnded(operation: string) {
  return new CollabError(`the ${operation} stream ended`, undefined, operation, true);
}

/** Whether the doc holds structs the server's state vector does not count. */
function hasStateBeyond(doc: Y.Doc, serverVector: Uint8Array): boolean {
  const server = Y.decodeStateVector(serverVector);
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
    if (clock > (server.get(client) ?? 0)) return true;
  }
  return false;
}
