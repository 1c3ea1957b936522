// Migration 0001 turns documents stored as plain text (before documents became Yjs documents)
// into Yjs documents: their text becomes their first update, once, keeping title and version.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { openDatabase } from '@supergraph/kit';
import { APPLY, edit, fromB64, READ, startCollab, SYNC } from './collab-setup.js';

const MIGRATIONS = join(__dirname, '../src/db/migrations');

/** The migrations folder as it was before the collaboration migration. */
function migrationsUpTo(tag: string, into: string): string {
  cpSync(MIGRATIONS, into, { recursive: true });
  const journalFile = join(into, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8'));
  const last = journal.entries.findIndex((entry: { tag: string }) => entry.tag === tag);
  journal.entries = journal.entries.slice(0, last + 1);
  writeFileSync(journalFile, JSON.stringify(journal));
  return into;
}

describe('documents written before collaboration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ui-legacy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('become Yjs documents whose first update is their text, converted once', async () => {
    const dataDir = join(dir, 'data');
    const owner = randomUUID();
    const written = randomUUID();
    const empty = randomUUID();
    const old = await openDatabase({
      dataDir,
      schema: {},
      migrationsFolder: migrationsUpTo('0000_init', join(dir, 'migrations')),
    });
    await old.db.execute(sql`insert into documents (id, owner_id, title, content, version)
      values (${written}, ${owner}, 'Notes', 'written in 2025', 3), (${empty}, ${owner}, 'Blank', '', 1)`);
    await old.close();

    const first = await startCollab({}, { database: { dataDir } });
    try {
      const user = await first.user(owner);
      expect((await user.call(READ, { id: written })).data!.document).toEqual({
        content: 'written in 2025',
        seq: 1,
        version: 3,
        role: 'OWNER',
      });
      expect((await user.call(READ, { id: empty })).data!.document).toMatchObject({
        content: '',
        seq: 0,
      });
      const synced = await user.call(SYNC, { id: written });
      const doc = new Y.Doc();
      Y.applyUpdate(doc, fromB64(synced.data!.documentSync.update));
      expect(doc.getText('content').toString()).toBe('written in 2025');
      const update = edit(doc, (text) => text.insert(0, 'Edited: '));
      const applied = await user.call(APPLY, {
        input: { documentId: written, clientId: 'c', updates: [update] },
      });
      expect(applied.data!.applyDocumentUpdates.seq).toBe(2);
    } finally {
      await first.close();
    }

    // A second start converts nothing again.
    const second = await startCollab({}, { database: { dataDir } });
    try {
      const user = await second.user(owner);
      expect((await user.call(READ, { id: written })).data!.document).toMatchObject({
        content: 'Edited: written in 2025',
        seq: 2,
      });
      const synced = await user.call(SYNC, { id: written });
      const doc = new Y.Doc();
      Y.applyUpdate(doc, fromB64(synced.data!.documentSync.update));
      expect(doc.getText('content').toString()).toBe('Edited: written in 2025');
    } finally {
      await second.close();
    }
  }, 120_000);
});
