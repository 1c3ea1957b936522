// Ids are uuids; anything else cannot exist, and PostgreSQL would reject it in a uuid
// comparison, so lookups filter with isUuid first.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** Answers a DataLoader batch of ids in order, null where no row has the id. Ids that are
 * not uuids are never sent to the database. */
export async function rowsByIds<T extends { id: string }>(
  ids: readonly string[],
  fetch: (uuids: string[]) => Promise<T[]>,
): Promise<(T | null)[]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length > 0 ? await fetch(valid) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Answers a DataLoader batch of parent ids with the rows of each, in the rows' order. */
export async function rowsGroupedBy<T>(
  ids: readonly string[],
  fetch: (uuids: string[]) => Promise<T[]>,
  parentOf: (row: T) => string | null,
): Promise<T[][]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length > 0 ? await fetch(valid) : [];
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const parent = parentOf(row);
    if (parent !== null) groups.set(parent, [...(groups.get(parent) ?? []), row]);
  }
  return ids.map((id) => groups.get(id) ?? []);
}
