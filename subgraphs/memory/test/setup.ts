// One memory subgraph per test file, in process on an in-memory PGlite, with tokens for a few
// users and a counter of the SQL statements it sends.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, createTestIssuer, graphql } from '@supergraph/kit/testing';
import { parseConfig, type MemoryConfig } from '../src/config.js';
import { createMemorySubgraph } from '../src/subgraph.js';

export const testConfig = (env: Record<string, string> = {}): MemoryConfig =>
  parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: 'memory://',
    EMBEDDING_DIMENSIONS: '64',
    MEMORY_MAX_CONTENT_LENGTH: '2000',
    ...env,
  });

/** Set by behaviour.pg.test.ts: run the same suites on a PostgreSQL server. */
export const POSTGRES_URL_VARIABLE = 'MEMORY_TEST_POSTGRES_URL';

export async function startMemory(env: Record<string, string> = {}) {
  const issuer = await createTestIssuer();
  const statements: string[] = [];
  const server = process.env[POSTGRES_URL_VARIABLE];
  const database = server ? await createTestDatabase(server, 'memory') : undefined;
  const started = await createMemorySubgraph(
    testConfig({ ...env, ...(database ? { MEMORY_DATABASE_URL: database.url } : {}) }),
    { verifier: issuer.verifier, onQuery: (query) => statements.push(query) },
  );
  const subgraph = {
    ...started,
    close: async () => {
      await started.close();
      await database?.drop();
    },
  };
  const user = async (scopes = ['memory:read', 'memory:write']) => {
    const id = randomUUID();
    const token = await issuer.token(id, scopes);
    const call = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) =>
      graphql<T>(subgraph.yoga, { query, variables, token });
    return { id, token, call };
  };
  return {
    subgraph,
    statements,
    user,
    anonymous: (query: string, variables?: Record<string, unknown>) =>
      graphql(subgraph.yoga, { query, variables }),
  };
}

export const CREATE = `mutation($input: CreateMemoryInput!) {
  createMemory(input: $input) { id content metadata fold { id } parent { id } embeddingModel createdAt }
}`;
export const CREATE_FOLD = `mutation($input: CreateFoldInput!) {
  createFold(input: $input) { id name capacity policy memoryCount }
}`;
