// SQL statements (measure 6): the settings of a search session, EXPLAIN of a statement, and the
// statements the API sends for a request with many `similar` fields.
import type pg from 'pg';
import { graphql } from '@supergraph/kit/testing';
import { parseConfig } from '../../../subgraphs/memory/src/config.js';
import { searchSettings } from '../../../subgraphs/memory/src/db/vector-index.js';
import { createMemorySubgraph } from '../../../subgraphs/memory/src/subgraph.js';
import type { GraphqlCall } from '../request.js';
import { SEARCH } from './api.js';
import {
  DIMENSIONS,
  EF_SEARCH,
  EXPLAINED_SIMILAR,
  INDEX_NAME,
  SIMILAR_FIELDS,
} from './settings.js';

/** The settings the memory subgraph applies to each of its connections, on one client. */
export async function applySearchSettings(client: pg.Client, efSearch: number) {
  const settings = searchSettings({
    ...parseConfig({ MEMORY_HNSW_EF_SEARCH: String(efSearch) }).vectorIndex,
  });
  for (const [name, value] of Object.entries(settings)) {
    await client.query(`SET ${name} = ${typeof value === 'number' ? value : `'${value}'`}`);
  }
}

/** Plan lines of EXPLAIN (ANALYZE, BUFFERS) for a statement and its parameters. */
export async function explain(client: pg.Client, statement: string, params: unknown[]) {
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${statement}`,
    params,
  );
  const lines = rows.map((row) => row['QUERY PLAN']);
  return {
    lines,
    top: lines[0]!.trim(),
    usesIndex: lines.some((line) => line.includes(`Index Scan using ${INDEX_NAME}`)),
    execution: lines.find((line) => line.startsWith('Execution Time')) ?? '',
  };
}

export type Plan = Awaited<ReturnType<typeof explain>>;

export interface Statement {
  query: string;
  params: unknown[];
}

/** How many of `list` are vector searches. */
export const vectorStatements = (list: { query: string }[]) =>
  list.filter((statement) => statement.query.includes('::vector(')).length;

/** Counts the statements of a request with SIMILAR_FIELDS `similar` fields, and explains the
 * statements of a search (for `vector`) and of `similar`. `onCleanup` receives the closing of
 * the subgraph this starts. */
export async function countStatements(options: {
  databaseUrl: string;
  securityUrl: string;
  token: string;
  memoryId: string;
  vector: number[] | undefined;
  client: pg.Client;
  onCleanup: (step: () => Promise<unknown>) => void;
}) {
  const { databaseUrl, securityUrl, token, memoryId, vector, client, onCleanup } = options;
  // 6. statements per request with 50 `similar` fields, on a second in-process memory
  // subgraph on the same database (it verifies the same tokens through the same JWKS).
  const statements: Statement[] = [];
  const counting = await createMemorySubgraph(
    parseConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      MEMORY_DATABASE_URL: databaseUrl,
      EMBEDDING_DIMENSIONS: String(DIMENSIONS),
      MEMORY_HNSW_EF_SEARCH: String(EF_SEARCH),
      SECURITY_JWKS_URL: securityUrl.replace(/\/graphql$/, '/.well-known/jwks.json'),
    }),
    {
      // drizzle's logger passes the parameters too.
      onQuery: (query: string, ...rest: unknown[]) =>
        statements.push({ query, params: (rest[0] as unknown[] | undefined) ?? [] }),
    },
  );
  onCleanup(() => counting.close());
  const countedCall = async (call: GraphqlCall) => {
    statements.length = 0;
    const result = await graphql(counting.yoga, { ...call, token });
    if (result.errors) throw new Error(JSON.stringify(result.errors).slice(0, 500));
    return { data: result.data!, statements: [...statements] };
  };

  const aliases = Array.from(
    { length: SIMILAR_FIELDS },
    (_, i) => `s${i}: similar(topK: 10) { score memory { id } }`,
  ).join(' ');
  const onOne = await countedCall({
    query: `{ memory(id: "${memoryId}") { id ${aliases} } }`,
  });
  const onMany = await countedCall({
    query: `{ memories(first: ${SIMILAR_FIELDS}) { nodes { id similar(topK: 10) { score memory { id } } } } }`,
  });
  const manyNodes = (
    onMany.data as {
      memories: { nodes: { id: string; similar: { memory: { id: string } }[] }[] };
    }
  ).memories.nodes;
  const manyOk = manyNodes.every(
    (node) => node.similar.length === 10 && node.similar.every((hit) => hit.memory.id !== node.id),
  );

  // EXPLAIN of the statements the API sends for a search and for `similar`.
  const searched = await countedCall({
    query: SEARCH,
    variables: { input: { vector, topK: 10 } },
  });
  const searchStatement = searched.statements.find((s) => s.query.includes('::vector('));
  const similarStatement = onMany.statements.find((s) => s.query.includes('::vector('));
  await applySearchSettings(client, EF_SEARCH);
  const searchPlan = searchStatement
    ? await explain(client, searchStatement.query, searchStatement.params)
    : undefined;
  // The same statement on its first few searches only (EXPLAIN ANALYZE runs it all).
  const similarPlan = similarStatement
    ? await explain(
        client,
        similarStatement.query,
        similarStatement.params.map((param, i) =>
          i === 0 && typeof param === 'string'
            ? JSON.stringify((JSON.parse(param) as unknown[]).slice(0, EXPLAINED_SIMILAR))
            : param,
        ),
      )
    : undefined;
  return { onOne, onMany, manyOk, searchPlan, similarPlan };
}
