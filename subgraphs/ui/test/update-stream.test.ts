// A documentUpdates stream whose subscriber falls far behind: its signals slide instead of
// overflowing (which ended the process), and what was dropped is read from the log, so the
// subscriber still gets every update once, in order.
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { openDatabase, openPubSub } from '@supergraph/kit';
import type { UiEvents } from '../src/collab/events.js';
import { DocumentStore } from '../src/collab/store.js';
import { documentUpdateStream } from '../src/collab/update-stream.js';
import { insertDocument } from '../src/db/documents.js';
import { tables } from '../src/db/schema.js';

const BEHIND = 1_500;

it('delivers every update in order to a subscriber that fell 1,500 updates behind', async () => {
  const database = await openDatabase({
    dataDir: 'memory://',
    schema: tables,
    migrationsFolder: `${__dirname}/../src/db/migrations`,
  });
  const events = openPubSub<UiEvents>();
  const store = new DocumentStore(
    database.db,
    events.pubsub,
    {
      maxDocumentBytes: 1_000_000,
      snapshotEvery: 10_000,
      snapshotIntervalMs: 3_600_000,
      cacheSize: 10,
    },
    (error) => {
      throw error;
    },
  );
  try {
    const author = randomUUID();
    const { id } = await insertDocument(database.db, { ownerId: author, title: 't', content: 'x' });
    const stream = documentUpdateStream({
      db: database.db,
      pubsub: events.pubsub,
      documentId: id,
      after: 0,
      userId: author,
      pollMs: 3_600_000,
    })[Symbol.asyncIterator]();
    expect((await stream.next()).value).toMatchObject({ seq: 1 });

    // Published while nobody reads the stream: more than a repeater holds.
    const writer = new Y.Doc();
    for (let i = 0; i < BEHIND; i += 1) {
      await store.write(id, {
        author,
        clientId: 'w',
        apply(doc) {
          let update: Uint8Array | undefined;
          writer.once('update', (bytes: Uint8Array) => (update = bytes));
          writer.getText('content').insert(0, 'y');
          Y.applyUpdate(doc, update!);
          return update;
        },
      });
    }
    const seqs: number[] = [];
    while (seqs.length < BEHIND) seqs.push((await stream.next()).value!.seq);
    expect(seqs).toEqual(Array.from({ length: BEHIND }, (_, i) => i + 2));
    await stream.return?.();
  } finally {
    store.close();
    await events.close();
    await database.close();
  }
}, 120_000);
