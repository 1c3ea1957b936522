// The supergraph on a real PostgreSQL server (DATABASE_URL, pgvector installed by
// scripts/setup-pgvector.sh): every subgraph on a database of its own, same migrations.
import { createTestDatabase, graphql } from '@supergraph/kit/testing';
import pg from 'pg';
import { SUBGRAPHS, signUp, startSupergraph, type Supergraph } from '../harness.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('supergraph on PostgreSQL', () => {
  const databases: Awaited<ReturnType<typeof createTestDatabase>>[] = [];
  const env: Record<string, string> = {};
  let supergraph: Supergraph;

  beforeAll(async () => {
    for (const name of SUBGRAPHS) {
      const database = await createTestDatabase(SERVER_URL, `sg_${name}`);
      databases.push(database);
      env[`${name.toUpperCase()}_DATABASE_URL`] = database.url;
    }
    supergraph = await startSupergraph({ env });
  });
  afterAll(async () => {
    await supergraph?.close();
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('applies the migrations, with pgvector in the memory database', async () => {
    const client = new pg.Client({ connectionString: env['MEMORY_DATABASE_URL'] });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT extversion FROM pg_extension WHERE extname = 'vector'",
      );
      expect(rows).toHaveLength(1);
      const distance = await client.query("SELECT '[1,0]'::vector <=> '[0,1]'::vector AS d");
      expect(Number(distance.rows[0].d)).toBeCloseTo(1);
    } finally {
      await client.end();
    }
  });

  it('joins three subgraphs and keeps a failed mutation from writing', async () => {
    const { token, userId } = await signUp(supergraph.url, 'pg@example.com');
    await graphql(supergraph.url, {
      query: 'mutation { createDocument(input: { title: "On PG", content: "x" }) { id } }',
      token,
    });
    await graphql(supergraph.url, {
      query: 'mutation { createMemory(input: { content: "stored in postgres" }) { id } }',
      token,
    });
    const failed = await graphql(supergraph.url, {
      query: 'mutation { createMemory(input: { content: "" }) { id } }',
      token,
    });
    expect(failed.errors![0]!.extensions!['code']).toBe('BAD_USER_INPUT');
    const joined = await graphql(supergraph.url, {
      query: '{ memories { nodes { content createdBy { id documents { title } } } } }',
      token,
    });
    expect(joined.data).toEqual({
      memories: {
        nodes: [
          {
            content: 'stored in postgres',
            createdBy: { id: userId, documents: [{ title: 'On PG' }] },
          },
        ],
      },
    });
  });
});
