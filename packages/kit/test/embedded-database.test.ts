// The embedded PostgreSQL (PGlite) of `npm start` and the tests is sized for development: its
// shared buffers sit in every subgraph process's memory.
import { sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../src/database.js';
import { thingsMigrations } from './migrations-fixture.js';

describe('embedded database', () => {
  const migrations = thingsMigrations();
  let handle: DatabaseHandle<Record<string, never>>;
  beforeAll(async () => {
    handle = await openDatabase({ migrationsFolder: migrations.folder, schema: {} });
  });
  afterAll(async () => {
    await handle?.close();
    migrations.remove();
  });

  it("runs with 16 MB of shared buffers, not PostgreSQL's default 128 MB", async () => {
    const result = (await handle.db.execute(
      sql`SELECT current_setting('shared_buffers') AS size`,
    )) as unknown as { rows: { size: string }[] };
    expect(handle.driver).toBe('pglite');
    expect(result.rows[0]!.size).toBe('16MB');
  });
});
