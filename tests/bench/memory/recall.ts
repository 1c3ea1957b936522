// Recall@10 (measure 5): the HNSW search, through the API and in SQL, against an exact scan.
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { createOfflineEmbedder } from '../../../subgraphs/memory/src/embeddings/offline.js';
import { post, SEARCH } from './api.js';
import { textGenerator } from './data.js';
import { DIMENSIONS, RECALL_BUDGET_MS, RECALL_QUERIES, SQL_EF_SEARCH } from './settings.js';
import { applySearchSettings, explain } from './statements.js';

export interface Recall {
  strict: number;
  tieAware: number;
}

type Hit = { id: string; distance: number };

/** Mean |approx ∩ exact| / k; tie-aware also counts an approximate hit as found when its
 * distance is no larger than the exact k-th distance (equal vectors make ids ambiguous). */
function recallOf(approx: Hit[][], exact: Hit[][], k: number): Recall {
  let strict = 0;
  let tieAware = 0;
  approx.forEach((hits, i) => {
    const truth = exact[i]!;
    const ids = new Set(truth.map((hit) => hit.id));
    const kth = truth[truth.length - 1]?.distance ?? Infinity;
    strict += hits.filter((hit) => ids.has(hit.id)).length / k;
    tieAware +=
      Math.min(k, hits.filter((hit) => ids.has(hit.id) || hit.distance <= kth + 1e-6).length) / k;
  });
  return { strict: strict / approx.length, tieAware: tieAware / approx.length };
}

const vectorLiteral = (vector: readonly number[]) => `[${vector.join(',')}]`;

const KNN_SQL = `SELECT id, (embedding::vector(${DIMENSIONS}) <=> $2::vector(${DIMENSIONS})) AS distance
  FROM memories WHERE created_by = $1
  ORDER BY embedding::vector(${DIMENSIONS}) <=> $2::vector(${DIMENSIONS}) LIMIT 10`;

async function knn(client: pg.Client, owner: string, vector: number[]) {
  const { rows } = await client.query<{ id: string; distance: number }>(KNN_SQL, [
    owner,
    vectorLiteral(vector),
  ]);
  return rows.map((row) => ({ id: row.id, distance: Number(row.distance) }));
}

/** Recall@10 of RECALL_QUERIES searches by vector of `userId`'s memories: through the API at
 * `direct` (within RECALL_BUDGET_MS), and in SQL on `client` at each of SQL_EF_SEARCH; also
 * returns the query vectors and the time of an exact scan. */
export async function measureRecall(
  client: pg.Client,
  direct: string,
  token: string,
  userId: string,
) {
  const embedder = createOfflineEmbedder({ dimensions: DIMENSIONS });
  const probing = textGenerator(17);
  const vectors = await embedder.embed(
    Array.from({ length: RECALL_QUERIES }, () => probing.text()),
  );
  const approx: Hit[][] = [];
  const recallBegan = performance.now();
  for (const vector of vectors) {
    if (performance.now() - recallBegan > RECALL_BUDGET_MS) break;
    const data = await post<{
      searchMemories: { distance: number; memory: { id: string } }[];
    }>(direct, token, { query: SEARCH, variables: { input: { vector, topK: 10 } } });
    approx.push(data.searchMemories.map((hit) => ({ id: hit.memory.id, distance: hit.distance })));
  }
  console.log(`  exact scans for recall (${RECALL_QUERIES} queries)...`);
  await client.query('SET enable_indexscan = off');
  await client.query('SET enable_bitmapscan = off');
  const exactStart = performance.now();
  const exact: Hit[][] = [];
  for (const vector of vectors) exact.push(await knn(client, userId, vector));
  const exactMs = (performance.now() - exactStart) / RECALL_QUERIES;
  await client.query('RESET enable_indexscan');
  await client.query('RESET enable_bitmapscan');
  const apiRecall = recallOf(approx, exact.slice(0, approx.length), 10);
  const sqlRecall = new Map<number, Recall & { ms: number; usesIndex: boolean }>();
  for (const ef of SQL_EF_SEARCH) {
    await applySearchSettings(client, ef);
    const plan = await explain(client, KNN_SQL, [userId, vectorLiteral(vectors[0]!)]);
    const start = performance.now();
    const hits: Hit[][] = [];
    for (const vector of vectors) hits.push(await knn(client, userId, vector));
    const took = (performance.now() - start) / RECALL_QUERIES;
    sqlRecall.set(ef, { ...recallOf(hits, exact, 10), ms: took, usesIndex: plan.usesIndex });
  }
  return { vectors, apiQueries: approx.length, apiRecall, sqlRecall, exactMs };
}
