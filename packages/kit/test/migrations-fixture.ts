// A folder of drizzle-kit migrations with one table, `things (id int)`, for database tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function thingsMigrations() {
  const folder = mkdtempSync(join(tmpdir(), 'kit-migrations-'));
  mkdirSync(join(folder, 'meta'));
  writeFileSync(join(folder, '0000_things.sql'), 'CREATE TABLE things (id int PRIMARY KEY);');
  writeFileSync(
    join(folder, 'meta', '_journal.json'),
    JSON.stringify({
      version: '7',
      dialect: 'postgresql',
      entries: [{ idx: 0, version: '7', when: 1, tag: '0000_things', breakpoints: true }],
    }),
  );
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** The registry code of a rejection, looking through the driver errors drizzle wraps. */
export async function rejectionCode(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    let cause: unknown = error;
    while (cause instanceof Error) {
      const extensions = (cause as { extensions?: Record<string, unknown> }).extensions;
      if (extensions?.['code']) return { code: extensions['code'], reason: extensions['reason'] };
      cause = cause.cause;
    }
    return { error: String(error) };
  }
  return 'resolved';
}
