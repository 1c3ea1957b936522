// Loading a long document: LOG_UPDATES small updates written straight to the ui subgraph (no
// snapshot: DOCUMENT_SNAPSHOT_EVERY is set high by the caller), then documentSync timed on a
// cold ui process (restarted, one small request first so that start-up work is not counted),
// before and after a snapshot (createDocumentVersion).
import * as Y from 'yjs';
import { graphql } from '@supergraph/kit/testing';
import { APPLY, SYNC, createDocument, edit } from '../collab.js';

export const LOG_UPDATES = 10_000;
/** Writers of the log at once, each a Yjs client of its own sending one update at a time. */
export const LOG_WRITERS = 16;

export interface LoadTiming {
  /** The first documentSync of the long document on the fresh process (ms). */
  coldMs: number;
  /** The same again, the document now live in the process (ms). */
  warmMs: number;
  /** Bytes of the update documentSync answers, base64. */
  answerBytes: number;
}

export interface ColdUi {
  /** The ui subgraph's GraphQL URL. */
  url: string;
  /** Stops the ui process and starts a fresh one on the same data. */
  restart(): Promise<void>;
}

async function call<T>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
) {
  const result = await graphql<T>(url, { query, variables, token });
  if (result.errors || !result.data) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

/** Writes LOG_UPDATES updates of one character each; returns the document and the seconds. */
export async function writeLongLog(routerUrl: string, uiUrl: string, token: string) {
  const documentId = await createDocument(routerUrl, token);
  const started = performance.now();
  let written = 0;
  const writer = async () => {
    const doc = new Y.Doc();
    while (written < LOG_UPDATES) {
      written += 1;
      const update = edit(doc, (text) => text.insert(text.length, 'x'));
      await call(uiUrl, token, APPLY, {
        input: { documentId, clientId: String(doc.clientID), updates: [update] },
      });
    }
  };
  await Promise.all(Array.from({ length: LOG_WRITERS }, writer));
  return { documentId, seconds: (performance.now() - started) / 1000 };
}

/** documentSync of `documentId` on a fresh ui process, after a first request on `warmUpId`. */
export async function timeColdSync(
  ui: ColdUi,
  token: string,
  documentId: string,
  warmUpId: string,
): Promise<LoadTiming> {
  await ui.restart();
  await call(ui.url, token, SYNC, { id: warmUpId });
  const timed = async () => {
    const started = performance.now();
    const data = await call<{ documentSync: { update: string } }>(ui.url, token, SYNC, {
      id: documentId,
    });
    return { ms: performance.now() - started, bytes: data.documentSync.update.length };
  };
  const cold = await timed();
  const warm = await timed();
  return { coldMs: cold.ms, warmMs: warm.ms, answerBytes: cold.bytes };
}

/** Saves the document's state as a version: loading starts from it afterwards. */
export async function snapshot(uiUrl: string, token: string, documentId: string) {
  const started = performance.now();
  await call(
    uiUrl,
    token,
    'mutation($id: ID!) { createDocumentVersion(documentId: $id, name: "bench") { seq } }',
    { id: documentId },
  );
  return performance.now() - started;
}
