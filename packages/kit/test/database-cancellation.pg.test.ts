// On a PostgreSQL server (DATABASE_URL): the running statement of a caller that goes away is
// cancelled on the server (its transaction rolls back), and statement_timeout ends a
// statement that runs too long; both with CANCELLED, the pool still serving afterwards.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { withSignal } from '../src/cancellation.js';
import { openDatabase, type DatabaseHandle } from '../src/database.js';
import { createTestDatabase, waitFor } from '../src/testing.js';
import { rejectionCode, thingsMigrations } from './migrations-fixture.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Longer than any test may take: a statement that ends is one that was cancelled. */
const SLEEP = sql`SELECT pg_sleep(600)`;
const STATEMENT_TIMEOUT_MS = 300;

describe('statements on PostgreSQL follow their caller', () => {
  const migrations = thingsMigrations();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let handle: DatabaseHandle<Record<string, never>>;
  let admin: pg.Client;

  const sleeping = async () => {
    const { rows } = await admin.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'SELECT pg_sleep%'",
    );
    return rows[0].n as number;
  };

  beforeAll(async () => {
    database = await createTestDatabase(SERVER_URL, 'kit_cancel');
    handle = await openDatabase({
      url: database.url,
      migrationsFolder: migrations.folder,
      schema: {},
      statementTimeoutMs: 60_000,
    });
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await handle?.close();
    await database?.drop();
    migrations.remove();
  });

  it('cancels the running statement when the caller goes away, and rolls its transaction back', async () => {
    const caller = new AbortController();
    const work = withSignal(caller.signal, () =>
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO things VALUES (1)`);
        await tx.execute(SLEEP);
      }),
    );
    const outcome = rejectionCode(work);
    await waitFor(async () => (await sleeping()) === 1, 'the statement to run');
    caller.abort();
    expect(await outcome).toEqual({ code: 'CANCELLED', reason: 'caller-gone' });
    expect(await sleeping()).toBe(0);
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM things');
    expect(rows[0].n).toBe(0);
    // The pool still serves, on the connection whose statement was cancelled or another.
    await handle.db.execute(sql`INSERT INTO things VALUES (2)`);
    expect((await admin.query('SELECT count(*)::int AS n FROM things')).rows[0].n).toBe(1);
  });

  it('cancels a statement outside a transaction too', async () => {
    const caller = new AbortController();
    const outcome = rejectionCode(
      withSignal(caller.signal, async () => await handle.db.execute(SLEEP)),
    );
    await waitFor(async () => (await sleeping()) === 1, 'the statement to run');
    caller.abort();
    expect(await outcome).toEqual({ code: 'CANCELLED', reason: 'caller-gone' });
    expect(await sleeping()).toBe(0);
  });

  it('ends a statement that runs past statement_timeout', async () => {
    const short = await openDatabase({
      url: database.url,
      migrationsFolder: migrations.folder,
      schema: {},
      statementTimeoutMs: STATEMENT_TIMEOUT_MS,
    });
    try {
      const caller = new AbortController();
      expect(
        await rejectionCode(withSignal(caller.signal, async () => await short.db.execute(SLEEP))),
      ).toEqual({ code: 'CANCELLED', reason: 'statement-timeout' });
      expect(await sleeping()).toBe(0);
    } finally {
      await short.close();
    }
  });
});
