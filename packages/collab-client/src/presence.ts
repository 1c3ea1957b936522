// Presence: the local Awareness state goes to setDocumentPresence (throttled, renewed before
// the server's expiry), and documentPresence events come back into the Awareness as y-protocols
// awareness updates, so editor bindings (y-codemirror.next, y-prosemirror, y-monaco) see remote
// cursors exactly as with y-websocket.
import * as encoding from 'lib0/encoding';
import type { Client } from 'graphql-ws';
import { applyAwarenessUpdate, removeAwarenessStates, type Awareness } from 'y-protocols/awareness';
import { backoffDelay } from './backoff.js';
import {
  DOCUMENT_PRESENCE,
  SET_DOCUMENT_PRESENCE,
  type DocumentPresenceData,
} from './operations.js';
import { request, subscribe, type Cancellable, type CollabError } from './transport.js';

export interface PresenceOptions {
  client: Client;
  documentId: string;
  awareness: Awareness;
  /** The origin of the Awareness changes this binding makes (the provider). */
  origin: unknown;
  renewMs: number;
  throttleMs: number;
  retryBaseMs: number;
  retryCapMs: number;
  onError(error: CollabError): void;
  /** The presence stream ended without being asked to (the provider reconnects). */
  onEnded(error: CollabError | undefined): void;
}

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

/** One client's state as a y-protocols awareness update (the wire format of
 * encodeAwarenessUpdate), with a clock above the one the Awareness holds for it. */
function awarenessUpdate(awareness: Awareness, clientID: number, state: unknown): Uint8Array {
  const clock = (awareness.meta.get(clientID)?.clock ?? 0) + 1;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientID);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

/** Yjs client ids are unsigned integers; anything else is not a client of this protocol. */
function parseClientId(clientId: string): number | undefined {
  const id = Number(clientId);
  return /^\d+$/.test(clientId) && Number.isSafeInteger(id) ? id : undefined;
}

export class PresenceBinding {
  private active = false;
  private unsubscribe: (() => void) | undefined;
  private inFlight: Cancellable<unknown> | undefined;
  private sendTimer: ReturnType<typeof setTimeout> | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  /** The local state changed since it was last sent. */
  private wanted = false;
  private lastSentAt = 0;
  private attempt = 0;

  constructor(private readonly options: PresenceOptions) {
    options.awareness.on('update', this.onAwarenessUpdate);
  }

  private get clientId(): string {
    return String(this.options.awareness.clientID);
  }

  /** Connected and synced: subscribes to the document's presence and announces this client. */
  start() {
    const { client, documentId } = this.options;
    this.stop();
    this.active = true;
    this.unsubscribe = subscribe<DocumentPresenceData>(
      client,
      { query: DOCUMENT_PRESENCE, variables: { documentId, clientId: this.clientId } },
      'presence',
      {
        next: ({ documentPresence }) => this.onEvent(documentPresence),
        end: (error) => {
          this.unsubscribe = undefined;
          if (this.active) this.options.onEnded(error);
        },
      },
    );
    this.scheduleSend();
  }

  /** Disconnected: remote states are dropped (the next start brings them back as JOINs). */
  stop() {
    this.active = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.inFlight?.cancel();
    this.inFlight = undefined;
    clearTimeout(this.sendTimer);
    clearTimeout(this.renewTimer);
    this.sendTimer = this.renewTimer = undefined;
    this.wanted = false;
    const { awareness, origin } = this.options;
    const remote = [...awareness.getStates().keys()].filter((id) => id !== awareness.clientID);
    removeAwarenessStates(awareness, remote, origin);
  }

  /** Leaves: clears this client's presence on the server and stops. */
  destroy(connected: boolean) {
    const { client, documentId, awareness } = this.options;
    awareness.off('update', this.onAwarenessUpdate);
    if (connected) {
      // Fire and forget: the server also drops it when the presence subscription ends.
      request(
        client,
        {
          query: SET_DOCUMENT_PRESENCE,
          variables: { input: { documentId, clientId: this.clientId, state: null } },
        },
        'presence',
      ).promise.catch(() => {});
    }
    this.stop();
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: AwarenessChanges,
    origin: unknown,
  ) => {
    if (origin === this.options.origin) return;
    const own = this.options.awareness.clientID;
    if (added.includes(own) || updated.includes(own) || removed.includes(own)) this.scheduleSend();
  };

  private onEvent({ change, clientId, state }: DocumentPresenceData['documentPresence']) {
    const { awareness, origin } = this.options;
    const id = parseClientId(clientId);
    if (id === undefined) return;
    if (id === awareness.clientID) {
      // The server dropped this client (e.g. a renewal came too late): announce it again.
      if (change === 'LEAVE' && awareness.getLocalState() !== null) this.scheduleSend();
      return;
    }
    if (change === 'LEAVE' || state === null) {
      removeAwarenessStates(awareness, [id], origin);
      return;
    }
    applyAwarenessUpdate(awareness, awarenessUpdate(awareness, id, state), origin);
    // A newcomer: show it this client at once rather than at the next renewal.
    if (change === 'JOIN') this.scheduleSend();
  }

  private scheduleSend(delayMs?: number) {
    if (!this.active) return;
    this.wanted = true;
    if (this.inFlight || this.sendTimer) return;
    const wait = delayMs ?? Math.max(0, this.lastSentAt + this.options.throttleMs - Date.now());
    this.sendTimer = setTimeout(() => {
      this.sendTimer = undefined;
      this.send();
    }, wait);
  }

  private send() {
    if (!this.active || !this.wanted) return;
    const { client, documentId, awareness, renewMs, retryBaseMs, retryCapMs } = this.options;
    this.wanted = false;
    clearTimeout(this.renewTimer);
    this.renewTimer = undefined;
    const state = awareness.getLocalState();
    const call = request(
      client,
      {
        query: SET_DOCUMENT_PRESENCE,
        variables: { input: { documentId, clientId: this.clientId, state } },
      },
      'presence',
    );
    this.inFlight = call;
    this.lastSentAt = Date.now();
    call.promise.then(
      () => {
        if (this.inFlight !== call) return;
        this.inFlight = undefined;
        this.attempt = 0;
        // Renewed before the server's expiry; any send in between postpones it.
        if (state !== null) this.renewTimer = setTimeout(() => this.scheduleSend(), renewMs);
        if (this.wanted) this.scheduleSend();
      },
      (error: CollabError) => {
        if (this.inFlight !== call) return;
        this.inFlight = undefined;
        if (error.fatal) {
          this.options.onError(error);
          if (this.wanted) this.scheduleSend();
          return;
        }
        // A lost connection restarts the binding; other failures are retried.
        if (!error.transport)
          this.scheduleSend(backoffDelay(this.attempt++, retryBaseMs, retryCapMs));
      },
    );
  }
}
