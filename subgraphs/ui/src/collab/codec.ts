// Yjs on the wire and in the database: base64 updates and state vectors checked before use,
// the derived plain text, and a text change turned into Yjs operations (so that a server-side
// replace merges with concurrent edits instead of overwriting them).
import diff from 'fast-diff';
import * as Y from 'yjs';
import { badInput } from '@supergraph/kit';

/** The root Y.Text that holds a document's text; Document.content is its plain text. */
export const TEXT = 'content';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Standard base64 (with padding), refused with BAD_USER_INPUT if it is not. */
export function fromBase64(value: string, field: string): Uint8Array {
  if (value.length % 4 !== 0 || !BASE64.test(value)) {
    throw badInput(`${field} must be standard base64 with padding.`, field);
  }
  return new Uint8Array(Buffer.from(value, 'base64'));
}

export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/**
 * A client's update, checked: base64, not empty, at most maxBytes, and a Yjs v1 update that
 * decodes completely. Yjs itself would apply garbage silently or throw half-way through a
 * transaction, so this runs before anything touches a document.
 */
export function decodeUpdate(value: string, field: string, maxBytes: number): Uint8Array {
  if (value.length > Math.ceil(maxBytes / 3) * 4) {
    throw badInput(`${field} must be at most ${maxBytes} bytes once decoded.`, field);
  }
  const bytes = fromBase64(value, field);
  if (bytes.byteLength === 0) throw badInput(`${field} must not be empty.`, field);
  try {
    Y.decodeUpdate(bytes);
  } catch {
    throw badInput(`${field} is not a Yjs update (v1).`, field);
  }
  return bytes;
}

/** A state vector from a client, checked; none means "nothing yet". */
export function decodeStateVector(value: string | null | undefined, field: string): Uint8Array {
  if (value == null || value === '') return Y.encodeStateVector(new Y.Doc());
  const bytes = fromBase64(value, field);
  try {
    Y.decodeStateVector(bytes);
  } catch {
    throw badInput(`${field} is not a Yjs state vector.`, field);
  }
  return bytes;
}

export const textOf = (doc: Y.Doc): string => doc.getText(TEXT).toString();

/** A document holding one text, as its first update (new and legacy documents). */
export function initialUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  if (text) doc.getText(TEXT).insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/**
 * Turns the doc's text into `target` with the fewest deletes and inserts (a character diff),
 * (call it inside a transaction); the edits keep the rest of the text, and what concurrent editors typed
 * there, in place.
 */
export function replaceText(doc: Y.Doc, target: string): void {
  const text = doc.getText(TEXT);
  const current = text.toString();
  if (current === target) return;
  {
    let index = 0;
    for (const [operation, chunk] of diff(current, target)) {
      if (operation === diff.EQUAL) index += chunk.length;
      else if (operation === diff.DELETE) text.delete(index, chunk.length);
      else {
        text.insert(index, chunk);
        index += chunk.length;
      }
    }
  }
}

/** Runs `edit` on doc in one transaction and returns the update it made, if any. (A diff of
 * encodeStateAsUpdate against the state vector before would carry the whole delete set.) */
export function captureUpdate(doc: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array | undefined {
  let captured: Uint8Array | undefined;
  const listener = (update: Uint8Array) => void (captured = update);
  doc.on('update', listener);
  try {
    doc.transact(() => edit(doc));
  } finally {
    doc.off('update', listener);
  }
  return captured;
}

/** Whether an update changes nothing (no new items, no deletions). */
export function isEmptyUpdate(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length === 0 && ds.clients.size === 0;
}
