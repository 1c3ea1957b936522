// The documents a replica works on, as live Y.Docs: loaded from the newest snapshot plus the
// log after it, caught up from the log before every use (another replica may have written),
// and changed only inside a transaction that holds the document's row lock, so the update is
// stored (and the derived text with it) before anyone is told. One mutex per document keeps
// this replica's own requests from seeing a change that is not committed yet.
import { Mutex } from 'async-mutex';
import { LRUCache } from 'lru-cache';
import * as Y from 'yjs';
import { badInput, codedError, notFound } from '@supergraph/kit';
import {
  appendUpdates,
  insertVersion,
  latestState,
  lockDocument,
  setTitle,
  wholeLogAfter,
  type Db,
  type Tx,
} from '../db/updates.js';
import type { DocumentVersionRow } from '../db/schema.js';
import { textOf, toBase64 } from './codec.js';
import { UPDATE, type UiPubSub, type UpdateEvent } from './events.js';

export interface StoreSettings {
  maxDocumentBytes: number;
  /** An automatic snapshot after this many updates... */
  snapshotEvery: number;
  /** ...or when the oldest update since the last one is this old. */
  snapshotIntervalMs: number;
  /** Live documents kept per replica. */
  cacheSize: number;
}

interface Live {
  doc: Y.Doc;
  /** The sequence number doc holds; -1 until loaded. */
  seq: number;
  snapshotSeq: number;
  /** When the first update after the last snapshot was stored (0: none since). */
  dirtySince: number;
  lastAuthor: string | null;
  mutex: Mutex;
  /** Set when a use failed: the doc may hold a change that was not stored. */
  broken: boolean;
}

/** What a write does to a document inside its transaction. */
export interface Change {
  author: string;
  clientId: string | null;
  /** Changes the doc and returns the update to store, or undefined when nothing changed. */
  apply(doc: Y.Doc): Uint8Array | undefined;
  /** Refused with CONFLICT unless the document is at this version. */
  expectedVersion?: number | null;
  /** A new title, stored with the change (alone, it still counts as a new version). */
  title?: string | null;
}

interface Waiting {
  change: Change;
  resolve(written: Written): void;
  reject(error: unknown): void;
}

export interface Written {
  seq: number;
  /** The stored event, absent when the change changed nothing. */
  event?: UpdateEvent;
}

export class DocumentStore {
  private readonly live: LRUCache<string, Live>;
  /** Changes waiting for a document's transaction, by document. */
  private readonly waiting = new Map<string, Waiting[]>();

  constructor(
    private readonly db: Db,
    private readonly pubsub: UiPubSub,
    private readonly settings: StoreSettings,
    private readonly onError: (error: unknown, documentId: string) => void,
  ) {
    this.live = new LRUCache<string, Live>({ max: settings.cacheSize });
  }

  /** Runs `read` on the document caught up with the log, with the seq it holds. */
  read<T>(id: string, read: (doc: Y.Doc, seq: number) => T): Promise<T> {
    return this.exclusive(id, async (entry) => {
      await this.catchUp(this.db, id, entry);
      return read(entry.doc, entry.seq);
    });
  }

  /**
   * Applies a change under the document's row lock, stores the update it makes and the new
   * text, commits, then publishes. Changes that arrive while a document's transaction runs
   * wait, and then commit together in one transaction (each under its own seq): one lock, one
   * text and one commit for many typists. A failure leaves the table as it was and drops the
   * live doc (it may hold the failed change), so the next use loads it again; a batch that
   * fails is retried change by change, so that only the change at fault is refused.
   */
  write(id: string, change: Change): Promise<Written> {
    return new Promise<Written>((resolve, reject) => {
      const waiting = this.waiting.get(id);
      if (waiting) return void waiting.push({ change, resolve, reject });
      this.waiting.set(id, [{ change, resolve, reject }]);
      void this.drain(id);
    });
  }

  /** Commits what waits for a document, batch after batch, until nothing does. */
  private async drain(id: string): Promise<void> {
    for (;;) {
      const batch = this.waiting.get(id) ?? [];
      if (batch.length === 0) return void this.waiting.delete(id);
      this.waiting.set(id, []);
      const plain = batch.every(
        ({ change }) => change.expectedVersion == null && change.title == null,
      );
      if (batch.length > 1 && plain) {
        try {
          const written = await this.commit(
            id,
            batch.map(({ change }) => change),
          );
          batch.forEach(({ resolve }, index) => resolve(written[index]!));
          continue;
        } catch {
          // One of them is at fault: find which, one at a time.
        }
      }
      for (const { change, resolve, reject } of batch) {
        await this.commit(id, [change]).then(([written]) => resolve(written!), reject);
      }
    }
  }

  /** Applies and stores changes in one transaction, then publishes their updates. */
  private async commit(id: string, changes: Change[]): Promise<Written[]> {
    let live: Live | undefined;
    const written = await this.exclusive(id, async (entry) => {
      live = entry;
      const results = await this.db.transaction(async (tx): Promise<Written[]> => {
        const row = await lockDocument(tx, id);
        if (!row) throw notFound('Document', id, 'documentId');
        const [first] = changes;
        if (first!.expectedVersion != null && first!.expectedVersion !== row.version) {
          throw codedError(
            'CONFLICT',
            `Document ${id} is at version ${row.version}, not ${first!.expectedVersion}; read it again and reapply the change.`,
            { extensions: { field: 'input.expectedVersion', currentVersion: row.version } },
          );
        }
        // Another replica may have written since: read its updates (only then).
        if (entry.seq !== row.seq) await this.catchUp(tx, id, entry);
        if (entry.seq !== row.seq) {
          throw codedError(
            'INTERNAL_SERVER_ERROR',
            `Document ${id} log ends at ${entry.seq}, row at ${row.seq}.`,
          );
        }
        let seq = row.seq;
        const stored: { seq: number; update: Uint8Array; change: Change }[] = [];
        for (const change of changes) {
          const update = change.apply(entry.doc);
          if (update) stored.push({ seq: (seq += 1), update, change });
        }
        if (stored.length === 0) {
          if (first!.title != null) await setTitle(tx, id, first!.title);
          return changes.map(() => ({ seq: row.seq }));
        }
        const content = textOf(entry.doc);
        const bytes = Buffer.byteLength(content, 'utf8');
        if (bytes > this.settings.maxDocumentBytes) {
          throw badInput(
            `The document's text would be ${bytes} bytes of UTF-8, more than the ${this.settings.maxDocumentBytes} allowed; nothing was stored.`,
            'updates',
          );
        }
        const createdAt = await appendUpdates(
          tx,
          id,
          stored.map(({ seq, update, change }) => ({
            seq,
            update,
            authorId: change.author,
            clientId: change.clientId,
          })),
          { content, title: first!.title },
        );
        const events = new Map(
          stored.map(({ seq, update, change }) => [
            change,
            {
              documentId: id,
              seq,
              update: toBase64(update),
              clientId: change.clientId,
              authorId: change.author,
              createdAt: createdAt.toISOString(),
            } satisfies UpdateEvent,
          ]),
        );
        return changes.map((change) => {
          const event = events.get(change);
          return event ? { seq: event.seq, event } : { seq };
        });
      });
      const last = results.findLast((result) => result.event);
      if (last) {
        entry.seq = last.seq;
        entry.lastAuthor = last.event!.authorId;
        entry.dirtySince ||= Date.now();
      }
      return results;
    });
    for (const { event } of written) if (event) this.pubsub.publish(UPDATE, id, event);
    if (written.some(({ event }) => event)) void this.snapshotIfDue(id, live!);
    return written;
  }

  /** Saves the document's current state as a version (named, or an automatic snapshot). */
  async saveVersion(
    id: string,
    name: string | null,
    authorId: string | null,
  ): Promise<DocumentVersionRow> {
    return this.exclusive(id, async (entry) => {
      await this.catchUp(this.db, id, entry);
      const version = await insertVersion(this.db, {
        documentId: id,
        seq: entry.seq,
        state: Y.encodeStateAsUpdate(entry.doc),
        name,
        authorId: authorId ?? entry.lastAuthor,
      });
      entry.snapshotSeq = entry.seq;
      entry.dirtySince = 0;
      return version;
    });
  }

  /** Snapshots every live document whose oldest unsnapshotted update is older than the interval. */
  async snapshotDue(now = Date.now()): Promise<void> {
    for (const [id, entry] of this.live.entries()) {
      if (entry.dirtySince && now - entry.dirtySince >= this.settings.snapshotIntervalMs) {
        await this.saveVersion(id, null, null).catch((error: unknown) => this.onError(error, id));
      }
    }
  }

  close(): void {
    this.live.clear();
  }

  private async snapshotIfDue(id: string, entry: Live): Promise<void> {
    if (entry.seq - entry.snapshotSeq < this.settings.snapshotEvery) return;
    await this.saveVersion(id, null, null).catch((error: unknown) => this.onError(error, id));
  }

  /** Runs `use` holding the document's mutex; a failure drops the live doc, and a use that
   * was waiting for a dropped one starts again on a fresh one. */
  private async exclusive<T>(id: string, use: (entry: Live) => Promise<T>): Promise<T> {
    for (;;) {
      const entry = this.entryOf(id);
      const outcome = await entry.mutex.runExclusive(async () => {
        if (entry.broken) return undefined;
        try {
          return { value: await use(entry) };
        } catch (error) {
          entry.broken = true;
          if (this.live.get(id) === entry) this.live.delete(id);
          throw error;
        }
      });
      if (outcome) return outcome.value;
    }
  }

  private entryOf(id: string): Live {
    let entry = this.live.get(id);
    if (!entry) {
      entry = {
        doc: new Y.Doc(),
        seq: -1,
        snapshotSeq: 0,
        dirtySince: 0,
        lastAuthor: null,
        mutex: new Mutex(),
        broken: false,
      };
      this.live.set(id, entry);
    }
    return entry;
  }

  /** Loads (newest state, then the log after it, merged into one update) or catches up. */
  private async catchUp(db: Db | Tx, id: string, entry: Live): Promise<void> {
    if (entry.seq < 0) {
      const state = await latestState(db, id);
      if (state) Y.applyUpdate(entry.doc, state.state);
      entry.seq = state?.seq ?? 0;
      entry.snapshotSeq = entry.seq;
    }
    const rows = await wholeLogAfter(db, id, entry.seq);
    if (rows.length === 0) return;
    Y.applyUpdate(
      entry.doc,
      rows.length === 1 ? rows[0]!.update : Y.mergeUpdates(rows.map((row) => row.update)),
    );
    entry.seq = rows.at(-1)!.seq;
    entry.lastAuthor = rows.at(-1)!.authorId;
    entry.dirtySince ||= rows[0]!.createdAt.getTime();
  }
}
