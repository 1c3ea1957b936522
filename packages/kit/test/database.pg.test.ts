// openDatabase on a PostgreSQL server (DATABASE_URL): migrations at open, session settings on
// every connection, and a dropped connection that neither crashes the process nor the pool.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '../src/database.js';
import { createTestDatabase } from '../src/testing.js';
import { thingsMigrations } from './migrations-fixture.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('openDatabase on PostgreSQL', () => {
  const migrations = thingsMigrations();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(SERVER_URL, 'kit');
  });
  afterAll(async () => {
    await database.drop();
    migrations.remove();
  });

  it('migrates, applies session settings, and survives a connection the server drops', async () => {
    const handle = await openDatabase({
      url: database.url,
      migrationsFolder: migrations.folder,
      schema: {},
      sessionSettings: { statement_timeout: 12345 },
    });
    try {
      await handle.db.execute(sql`INSERT INTO things VALUES (1)`);
      const setting = await handle.db.execute(sql`SHOW statement_timeout`);
      expect(
        (setting as unknown as { rows: { statement_timeout: string }[] }).rows[0]!
          .statement_timeout,
      ).toBe('12345ms');

      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      const terminated = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = $1',
        ['client backend'],
      );
      // The pool's idle connection is gone, and it has most likely not heard yet: the process
      // is still here, a readiness ping answers at once, and the data is intact.
      await handle.ping();
      await admin.end();
      expect(terminated.rowCount).toBeGreaterThanOrEqual(1);
      const count = await handle.db.execute(sql`SELECT count(*)::int AS n FROM things`);
      expect((count as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
    } finally {
      await handle.close();
    }
  });
});
