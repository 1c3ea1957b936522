// Vector search on pgvector. Every search of one request (searchMemories, Memory.similar)
// goes through one DataLoader whose batch is answered by ONE SQL statement: a LATERAL
// nearest-neighbour subquery per search, a UNION ALL branch per metric and filter shape.
import { sql, type SQL } from 'drizzle-orm';
import { codedError, type Database } from '@supergraph/kit';
import { MEMORY_ROW_SQL, rawMemoryRow } from './queries.js';
import { memories, type MemoryRow, type tables } from './schema.js';
import { distanceTo, scoreOf, type Metric } from './vector-index.js';

type Db = Database<typeof tables>;

export interface SearchRequest {
  /** The query vector; or */
  vector?: number[];
  /** the id of a memory whose neighbours are wanted (it is left out of them). */
  sourceId?: string;
  topK: number;
  metric: Metric;
  foldId?: string | null;
  metadataContains?: Record<string, unknown> | null;
  minScore?: number | null;
}

export interface SearchHit {
  memory: MemoryRow;
  distance: number;
  score: number;
}

/** What decides a branch's SQL: its metric and which optional conditions it needs. Only
 * the conditions in use are written, so that the planner sees plain filters it can estimate
 * and keeps the vector index. */
const shapeOf = (request: SearchRequest) =>
  [
    request.metric,
    request.sourceId ? 'source' : 'vector',
    !!request.foldId,
    !!request.metadataContains,
  ].join('|');

function branch(owner: string, dimensions: number, requests: [number, SearchRequest][]): SQL {
  const [, first] = requests[0]!;
  const vectorType = sql.raw(`vector(${dimensions})`);
  const rows = requests.map(([ord, request]) => ({
    ord,
    vec: request.vector ? `[${request.vector.join(',')}]` : null,
    source: request.sourceId ?? null,
    k: request.topK,
    fold: request.foldId ?? null,
    meta: request.metadataContains ?? null,
  }));
  // The query vector arrives typed, so it is parsed once per search rather than per row.
  const query = first.sourceId
    ? sql`(SELECT s.embedding FROM memories s WHERE s.id = q.source AND s.created_by = ${owner})`
    : sql`q.vec`;
  const distance = distanceTo(first.metric, dimensions, query);
  const conditions = [
    sql`${memories.createdBy} = ${owner}`,
    sql`(${memories.expiresAt} IS NULL OR ${memories.expiresAt} > now())`,
    ...(first.foldId ? [sql`${memories.foldId} = q.fold`] : []),
    ...(first.metadataContains ? [sql`${memories.metadata} @> q.meta`] : []),
    ...(first.sourceId ? [sql`${memories.id} <> q.source`] : []),
  ];
  return sql`SELECT q.ord, h.* FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS q(ord int, vec ${vectorType}, source uuid, k int, fold uuid, meta jsonb)
    CROSS JOIN LATERAL (
      SELECT ${sql.raw(MEMORY_ROW_SQL)}, ${distance} AS distance
      FROM memories
      WHERE ${sql.join(conditions, sql` AND `)}
      ORDER BY ${distance}
      LIMIT q.k
    ) h`;
}

/**
 * The memories the searches of one request may still read. Operation limits keep a request's
 * cost in bounds; this holds where they were raised or a nested `similar` fans out past them:
 * one statement's answer is held whole in the heap, and the caller's going away cannot stop
 * a statement that has already answered. Each batch takes the most it could read (the sum of
 * its topK) before it runs.
 */
export function searchRowBudget(max: number) {
  let read = 0;
  return (requests: readonly SearchRequest[]) => {
    const wanted = requests.reduce((sum, request) => sum + request.topK, 0);
    if (read + wanted > max) {
      throw codedError(
        'QUERY_TOO_COMPLEX',
        `The searches of this request would read up to ${read + wanted} memories; the limit is ${max} (MEMORY_MAX_SEARCH_ROWS). Ask for fewer (topK, similar) per level.`,
        { extensions: { limit: 'searchRows', max, actual: read + wanted } },
      );
    }
    read += wanted;
  };
}

/** Answers a batch of searches of one owner with one statement, hits closest first. */
export async function searchBatch(
  db: Db,
  owner: string,
  dimensions: number,
  requests: readonly SearchRequest[],
): Promise<SearchHit[][]> {
  const byShape = new Map<string, [number, SearchRequest][]>();
  requests.forEach((request, ord) => {
    const shape = shapeOf(request);
    byShape.set(shape, [...(byShape.get(shape) ?? []), [ord, request]]);
  });
  const branches = [...byShape.values()].map((group) => branch(owner, dimensions, group));
  const statement = sql.join(branches, sql` UNION ALL `);
  const result = await db.execute(sql`${statement} ORDER BY 1, distance`);
  const hits: SearchHit[][] = requests.map(() => []);
  const rows = (result as unknown as { rows: (MemoryRow & { ord: number; distance: number })[] })
    .rows;
  for (const row of rows) {
    const { ord, distance, ...memory } = row;
    const request = requests[ord]!;
    const score = scoreOf(request.metric, Number(distance));
    if (request.minScore != null && score < request.minScore) continue;
    hits[ord]!.push({ memory: rawMemoryRow(memory), distance: Number(distance), score });
  }
  return hits;
}
