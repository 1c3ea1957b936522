// Creating documents, and converting those stored as plain text before documents became Yjs
// documents (marked seq LEGACY_SEQ by migration 0001) into their first update.
import { eq } from 'drizzle-orm';
import { initialUpdate } from '../collab/codec.js';
import { documents, documentUpdates, LEGACY_SEQ, type DocumentRow } from './schema.js';
import type { Db } from './updates.js';

/** A new document; its text, if any, is its first update (seq 1), authored by the owner. */
export function insertDocument(
  db: Db,
  values: { ownerId: string; title: string; content: string },
): Promise<DocumentRow> {
  return db.transaction(async (tx) => {
    const seq = values.content ? 1 : 0;
    const [row] = await tx
      .insert(documents)
      .values({ ...values, seq })
      .returning();
    if (seq) {
      await tx.insert(documentUpdates).values({
        documentId: row!.id,
        seq,
        update: initialUpdate(values.content),
        authorId: values.ownerId,
        clientId: null,
      });
    }
    return { ...row!, role: 'OWNER' as const };
  });
}

/** Converts legacy documents one at a time, each under its row lock (another replica may be
 * converting too); returns how many this call converted. */
export async function convertLegacyDocuments(db: Db): Promise<number> {
  const legacy = await db
    .select({ id: documents.id })
    .from(documents)
    .where(eq(documents.seq, LEGACY_SEQ));
  let converted = 0;
  for (const { id } of legacy) {
    converted += await db.transaction(async (tx) => {
      const [row] = await tx.select().from(documents).where(eq(documents.id, id)).for('update');
      if (!row || row.seq !== LEGACY_SEQ) return 0;
      const seq = row.content ? 1 : 0;
      if (seq) {
        await tx.insert(documentUpdates).values({
          documentId: id,
          seq,
          update: initialUpdate(row.content),
          authorId: row.ownerId,
          clientId: null,
          createdAt: row.updatedAt,
        });
      }
      await tx.update(documents).set({ seq }).where(eq(documents.id, id));
      return 1;
    });
  }
  return converted;
}
