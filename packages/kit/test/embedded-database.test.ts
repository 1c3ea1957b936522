// The embedded PostgreSQL (PGlite) of `npm start` and the tests is sized for development: its
// shared buffers sit in every subgraph process's memory.
import { sql } from 'drizzle-orm';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('creates a data directory on disk (initdb in a worker) and keeps its data', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'kit-embedded-')), 'db');
    try {
      const open = () => openDatabase({ dataDir, migrationsFolder: migrations.folder, schema: {} });
      const first = await open();
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
      await first.db.execute(sql`INSERT INTO things (id) VALUES (7)`);
      await first.close();
      const again = await open();
      const rows = (await again.db.execute(sql`SELECT id FROM things`)) as unknown as {
        rows: { id: number }[];
      };
      await again.close();
      expect(rows.rows).toEqual([{ id: 7 }]);
    } finally {
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    }
  });
});
