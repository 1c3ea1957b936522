// Typists: CollabProviders, each over its own graphql-ws client to the router, typing into
// shared documents at a fixed rate. An edit is known by its Yjs id (client, clock), so its
// arrival in another client's doc is seen exactly, from the state vectors of the transaction
// that brings it, without markers in the text. Acknowledgements are read off the client's
// applyDocumentUpdates calls.
import { CollabProvider } from '@supergraph/collab-client';
import { createClient, type Client, type Sink, type SubscribePayload } from 'graphql-ws';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { websocketUrl } from '../realtime.js';

/** One edit a typist made, in the order it made them. */
interface Edit {
  /** The Yjs clock of its first item: it has arrived where the sender's clock passed it. */
  clock: number;
  at: number;
  /** Made inside the measured window. */
  measured: boolean;
  /** Other clients it has reached. */
  arrivals: number;
}

/** What all typists of a run report into. */
export class Tally {
  /** Edit-to-arrival delays (ms) of measured edits, at every other client of the document. */
  readonly arrivals: number[] = [];
  /** Edit-to-acknowledgement delays (ms) of measured edits, at the editing client. */
  readonly acks: number[] = [];
  /** applyDocumentUpdates round trips (ms) of calls sent inside the window. */
  readonly calls: number[] = [];
  /** Answers with errors, by extensions.code. */
  readonly errors = new Map<string, number>();
  /** Edits are being made inside the measured window. */
  measuring = false;
  madeMeasured = 0;
  /** Edits acknowledged while measuring. */
  ackedInWindow = 0;

  error(code: string) {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }
}

/** One client typing into one document. */
export class Typist {
  readonly doc = new Y.Doc();
  readonly provider: CollabProvider;
  readonly edits: Edit[] = [];
  private readonly client: Client;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** How many of `edits` the server has acknowledged. */
  private ackedIndex = 0;

  constructor(
    routerUrl: string,
    token: string,
    documentId: string,
    private readonly tally: Tally,
    private readonly random: () => number,
  ) {
    this.client = observed(
      createClient({
        url: websocketUrl(routerUrl),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 3,
      }),
      tally,
      (sentAt) => this.onAck(sentAt),
    );
    this.provider = new CollabProvider({ client: this.client, documentId, doc: this.doc });
    // As an editor does: who is here, set once (no cursor moves: the load is the edits).
    this.provider.awareness.setLocalStateField('user', { name: `typist ${this.doc.clientID}` });
  }

  get text(): string {
    return this.doc.getText('content').toString();
  }

  /** Sees the edits of `others` arrive in this client's doc. */
  watch(others: Typist[]) {
    const senders = new Map<number, { typist: Typist; next: number }>();
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.local) return;
      const now = performance.now();
      for (const [client, clock] of transaction.afterState) {
        if (clock <= (transaction.beforeState.get(client) ?? 0)) continue;
        let sender = senders.get(client);
        if (!sender) {
          const typist = others.find((other) => other.doc.clientID === client);
          if (!typist) continue;
          sender = { typist, next: 0 };
          senders.set(client, sender);
        }
        const { edits } = sender.typist;
        while (sender.next < edits.length && edits[sender.next]!.clock < clock) {
          const edit = edits[sender.next]!;
          edit.arrivals += 1;
          if (edit.measured) this.tally.arrivals.push(now - edit.at);
          sender.next += 1;
        }
      }
    });
  }

  /** Types one character at a random place every `intervalMs`, starting after `phaseMs`. */
  start(intervalMs: number, phaseMs: number) {
    setTimeout(() => {
      this.timer = setInterval(() => this.type(), intervalMs);
    }, phaseMs);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async close() {
    this.stop();
    this.provider.destroy();
    await this.client.dispose();
  }

  private type() {
    const text = this.doc.getText('content');
    const clock = Y.getState(this.doc.store, this.doc.clientID);
    // Taken before the insert: the provider sends it from inside the insert when idle.
    const at = performance.now();
    text.insert(Math.floor(this.random() * (text.length + 1)), 'x');
    const measured = this.tally.measuring;
    if (measured) this.tally.madeMeasured += 1;
    this.edits.push({ clock, at, measured, arrivals: 0 });
  }

  /** A call sent at `sentAt` was acknowledged: every edit made before it is stored. */
  private onAck(sentAt: number) {
    const now = performance.now();
    while (this.ackedIndex < this.edits.length && this.edits[this.ackedIndex]!.at <= sentAt) {
      const edit = this.edits[this.ackedIndex]!;
      if (edit.measured) this.tally.acks.push(now - edit.at);
      if (this.tally.measuring) this.tally.ackedInWindow += 1;
      this.ackedIndex += 1;
    }
  }

  /** Edits not acknowledged by the server yet. */
  get unacknowledged(): number {
    return this.edits.length - this.ackedIndex;
  }
}

/** The client with its applyDocumentUpdates calls timed and every error answer counted. */
function observed(client: Client, tally: Tally, onAck: (sentAt: number) => void): Client {
  return {
    ...client,
    subscribe<Data, Extensions>(payload: SubscribePayload, sink: Sink<never>) {
      const isApply = payload.query.includes('applyDocumentUpdates');
      const sentAt = performance.now();
      const measured = tally.measuring;
      return client.subscribe<Data, Extensions>(payload, {
        ...sink,
        next(result) {
          if (result.errors?.length) {
            for (const error of result.errors) {
              tally.error(String(error.extensions?.['code'] ?? 'no code'));
            }
          } else if (isApply) {
            if (measured) tally.calls.push(performance.now() - sentAt);
            onAck(sentAt);
          }
          sink.next(result as never);
        },
        error(error) {
          tally.error('transport');
          sink.error(error);
        },
      });
    },
  };
}
