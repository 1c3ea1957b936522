// Work stops when its caller stops, down to the SQL statement, on PostgreSQL: a memory
// statement blocked behind a lock held by another connection is cancelled on the server
// (gone from pg_stat_activity while the lock is still held) soon after the router gave up on
// the subgraph, or after the client went away; a cancelled mutation stores nothing; a
// statement past DATABASE_STATEMENT_TIMEOUT_MS ends with CANCELLED; and once the lock is
// released the memory subgraph answers as before.
import { readFileSync } from 'node:fs';
import { createTestDatabase, errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import pg from 'pg';
import { parseConfig as parseRouterConfig } from '../../router/src/config.js';
import { createRouter, type Router } from '../../router/src/router.js';
import { SUPERGRAPH_FILE } from '../../schema/compose.js';
import * as memory from '../../subgraphs/memory/src/config.js';
import { createMemorySubgraph } from '../../subgraphs/memory/src/subgraph.js';
import { SUBGRAPHS, signUp, startSupergraph, type Supergraph } from '../harness.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The impatient router's timeout: well past the time a blocked statement takes to show up. */
const ROUTER_TIMEOUT_MS = 1_000;
const STATEMENT_TIMEOUT_MS = 500;
/** No purge of expired memories during the test: it too would wait for the lock. */
const NO_PURGE = { MEMORY_PURGE_INTERVAL_MS: String(3_600_000) };
const MEMORIES = '{ memories { nodes { content } } }';

describe('a blocked memory statement on PostgreSQL', () => {
  const databases: Awaited<ReturnType<typeof createTestDatabase>>[] = [];
  const env: Record<string, string> = { ...NO_PURGE };
  let supergraph: Supergraph;
  let impatient: Router;
  let impatientUrl: string;
  /** A second memory subgraph on the same database, with a short statement timeout. */
  let strict: Awaited<ReturnType<typeof createMemorySubgraph>>;
  let strictUrl: string;
  let token: string;
  let locker: pg.Client;
  let lockerPid: number;
  let observer: pg.Client;

  /** Statements of the memory subgraph waiting for a lock (the locker's is not waiting). */
  const blocked = async () => {
    const { rows } = await observer.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock' AND pid <> $1",
      [lockerPid],
    );
    return rows[0].n as number;
  };
  const lockHeld = async () => {
    const { rows } = await observer.query(
      "SELECT count(*)::int AS n FROM pg_locks WHERE pid = $1 AND mode = 'AccessExclusiveLock' AND granted",
      [lockerPid],
    );
    return rows[0].n > 0;
  };
  const memoryCount = async () =>
    (await observer.query('SELECT count(*)::int AS n FROM memories')).rows[0].n as number;

  /** A request through `url` that the client abandons once its statement is blocked. */
  async function abandoned(url: string, query: string) {
    const client = new AbortController();
    const sent = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
      signal: client.signal,
    }).catch(() => 'gone');
    await waitFor(async () => (await blocked()) === 1, 'the statement to block');
    client.abort();
    expect(await sent).toBe('gone');
  }

  beforeAll(async () => {
    for (const name of SUBGRAPHS) {
      const database = await createTestDatabase(SERVER_URL, `abuse_${name}`);
      databases.push(database);
      env[`${name.toUpperCase()}_DATABASE_URL`] = database.url;
    }
    // The harness' router waits as long as it takes: only its client can end a request.
    supergraph = await startSupergraph({ env: { ...env, BREAKER_TIMEOUT_MS: '600000' } });
    const jwksUrl = supergraph.subgraphUrls.security.replace('/graphql', '/.well-known/jwks.json');
    impatient = await createRouter(
      parseRouterConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: '0',
        BREAKER_TIMEOUT_MS: String(ROUTER_TIMEOUT_MS),
        SECURITY_JWKS_URL: jwksUrl,
        SUBGRAPH_URLS: Object.entries(supergraph.subgraphUrls)
          .map(([name, url]) => `${name}=${url}`)
          .join(','),
      }),
      { supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8') },
    );
    impatientUrl = (await impatient.listen()).url;
    ({ token } = await signUp(supergraph.url, 'locked-out@example.com'));
    const stored = await graphql(supergraph.url, {
      query: 'mutation { createMemory(input: { content: "before the lock" }) { id } }',
      token,
    });
    expect(stored.errors).toBeUndefined();

    // Started before the lock is taken: its start builds indexes on the table.
    strict = await createMemorySubgraph(
      memory.parseConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: '0',
        MEMORY_DATABASE_URL: env['MEMORY_DATABASE_URL'],
        SECURITY_JWKS_URL: jwksUrl,
        DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
        ...NO_PURGE,
      }),
    );
    strictUrl = (await strict.listen()).url;

    observer = new pg.Client({ connectionString: env['MEMORY_DATABASE_URL'] });
    await observer.connect();
    locker = new pg.Client({ connectionString: env['MEMORY_DATABASE_URL'] });
    await locker.connect();
    lockerPid = (await locker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE memories IN ACCESS EXCLUSIVE MODE');
  });
  afterAll(async () => {
    await locker?.end();
    await observer?.end();
    await strict?.close();
    await impatient?.close();
    await supergraph?.close();
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('is cancelled soon after the router gave up, while the lock is still held', async () => {
    const answered = graphql(impatientUrl, { query: MEMORIES, token });
    await waitFor(async () => (await blocked()) === 1, 'the statement to block');
    const result = await answered;
    expect(errorCodes(result)).toEqual(['SUBGRAPH_TIMEOUT']);
    await waitFor(async () => (await blocked()) === 0, 'the statement to be cancelled');
    expect(await lockHeld()).toBe(true);
  });

  it('is cancelled when the client goes away', async () => {
    await abandoned(supergraph.url, MEMORIES);
    await waitFor(async () => (await blocked()) === 0, 'the statement to be cancelled');
    expect(await lockHeld()).toBe(true);
  });

  it('stores nothing of a mutation whose client went away', async () => {
    await abandoned(
      supergraph.url,
      'mutation { createMemory(input: { content: "never stored" }) { id } }',
    );
    await waitFor(async () => (await blocked()) === 0, 'the statement to be cancelled');
    expect(await lockHeld()).toBe(true);
  });

  it('ends with CANCELLED past DATABASE_STATEMENT_TIMEOUT_MS', async () => {
    const result = await graphql(strictUrl, { query: MEMORIES, token });
    expect(errorCodes(result)).toEqual(['CANCELLED']);
    expect(result.errors![0]!.extensions).toMatchObject({
      reason: 'statement-timeout',
      timeoutMs: STATEMENT_TIMEOUT_MS,
    });
    expect(await blocked()).toBe(0);
  });

  it('answers again once the lock is released, with nothing of the cancelled work stored', async () => {
    await locker.query('COMMIT');
    const result = await graphql(supergraph.url, { query: MEMORIES, token });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ memories: { nodes: [{ content: 'before the lock' }] } });
    expect(await memoryCount()).toBe(1);
  });
});
