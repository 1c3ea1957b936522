// Queries on users and their roles. Batch functions serve the DataLoaders of a request.
import { eq, inArray, sql } from 'drizzle-orm';
import { rowsByIds, rowsGroupedBy, type Database } from '@supergraph/kit';
import { BUILT_IN_ROLES } from '../roles.js';
import { roles, userRoles, users, type tables, type UserRow } from './schema.js';

type Db = Database<typeof tables>;

export async function seedRoles(db: Db): Promise<void> {
  for (const role of BUILT_IN_ROLES) {
    await db
      .insert(roles)
      .values({ name: role.name, description: role.description, scopes: [...role.scopes] })
      .onConflictDoUpdate({
        target: roles.name,
        set: { description: role.description, scopes: [...role.scopes] },
      });
  }
}

/** Inserts the user and its role grants in one transaction; undefined if the email is taken. */
export async function insertUser(
  db: Db,
  values: { email: string; displayName: string; passwordHash: string },
  roleNames: readonly string[],
): Promise<UserRow | undefined> {
  return db.transaction(async (tx) => {
    const [user] = await tx.insert(users).values(values).onConflictDoNothing().returning();
    if (!user) return undefined;
    await tx.insert(userRoles).values(roleNames.map((roleName) => ({ userId: user.id, roleName })));
    return user;
  });
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return user;
}

export async function usersByIds(db: Db, ids: readonly string[]): Promise<(UserRow | null)[]> {
  return rowsByIds(ids, (valid) => db.select().from(users).where(inArray(users.id, valid)));
}

export async function roleNamesByUserIds(db: Db, ids: readonly string[]): Promise<string[][]> {
  const grants = await rowsGroupedBy(
    ids,
    (valid) =>
      db
        .select()
        .from(userRoles)
        .where(inArray(userRoles.userId, valid))
        .orderBy(userRoles.roleName),
    (row) => row.userId,
  );
  return grants.map((rows) => rows.map((row) => row.roleName));
}

/** The union of the scopes of the user's roles. */
export async function scopesOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .select({ scope: sql<string>`unnest(${roles.scopes})` })
    .from(userRoles)
    .innerJoin(roles, eq(roles.name, userRoles.roleName))
    .where(eq(userRoles.userId, userId));
  return [...new Set(rows.map((row) => row.scope))].sort();
}
