// Queries of single sign-on: the configured identity providers, the sign-ins waiting for
// their callback (taken once, by one DELETE ... RETURNING, so two callbacks cannot both use
// one), and the links of users to their accounts at identity providers.
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import { hashToken } from './sessions.js';
import {
  identityProviders,
  ssoLogins,
  userIdentities,
  users,
  type IdentityProviderRow,
  type tables,
  type UserRow,
} from './schema.js';

type Db = Database<typeof tables>;

export type NewIdentityProvider = Omit<
  typeof identityProviders.$inferInsert,
  'id' | 'createdAt' | 'updatedAt'
>;

/** The new provider, or undefined when its slug is taken. */
export async function insertIdentityProvider(
  db: Db,
  values: NewIdentityProvider,
): Promise<IdentityProviderRow | undefined> {
  const [row] = await db.insert(identityProviders).values(values).onConflictDoNothing().returning();
  return row;
}

/** The updated provider, or undefined when there is none with this slug. */
export async function updateIdentityProvider(
  db: Db,
  slug: string,
  changes: Partial<NewIdentityProvider>,
): Promise<IdentityProviderRow | undefined> {
  const [row] = await db
    .update(identityProviders)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(identityProviders.slug, slug))
    .returning();
  return row;
}

/** The deleted provider, or undefined when there is none with this slug. */
export async function deleteIdentityProvider(
  db: Db,
  slug: string,
): Promise<IdentityProviderRow | undefined> {
  const [row] = await db
    .delete(identityProviders)
    .where(eq(identityProviders.slug, slug))
    .returning();
  return row;
}

export async function findIdentityProvider(
  db: Db,
  slug: string,
): Promise<IdentityProviderRow | undefined> {
  const [row] = await db
    .select()
    .from(identityProviders)
    .where(eq(identityProviders.slug, slug))
    .limit(1);
  return row;
}

export async function listIdentityProviders(
  db: Db,
  { enabledOnly }: { enabledOnly: boolean },
): Promise<IdentityProviderRow[]> {
  return db
    .select()
    .from(identityProviders)
    .where(enabledOnly ? eq(identityProviders.enabled, true) : undefined)
    .orderBy(asc(identityProviders.name), asc(identityProviders.slug));
}

export interface PendingLogin {
  providerId: string;
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
  expiresAt: Date;
}

/** Keeps a started sign-in under the hash of its state; drops the expired ones on the way. */
export async function insertPendingLogin(
  db: Db,
  state: string,
  login: PendingLogin,
): Promise<void> {
  await db.delete(ssoLogins).where(lt(ssoLogins.expiresAt, sql`now()`));
  await db.insert(ssoLogins).values({ stateHash: hashToken(state), ...login });
}

/** Takes the sign-in started with this state, once: a second call finds nothing. */
export async function takePendingLogin(db: Db, state: string): Promise<PendingLogin | undefined> {
  const [row] = await db
    .delete(ssoLogins)
    .where(eq(ssoLogins.stateHash, hashToken(state)))
    .returning();
  return row;
}

const sameAccount = (identity: { issuer: string; subject: string }) =>
  and(eq(userIdentities.issuer, identity.issuer), eq(userIdentities.subject, identity.subject));

/** The user linked to this account of an identity provider, noting the sign-in. */
export async function userOfIdentity(
  db: Db,
  identity: { issuer: string; subject: string; providerId: string; email: string | undefined },
): Promise<UserRow | undefined> {
  const [linked] = await db
    .update(userIdentities)
    .set({
      lastSignInAt: sql`now()`,
      providerId: identity.providerId,
      ...(identity.email ? { email: identity.email } : {}),
    })
    .where(sameAccount(identity))
    .returning({ userId: userIdentities.userId });
  if (!linked) return undefined;
  const [user] = await db.select().from(users).where(eq(users.id, linked.userId)).limit(1);
  return user;
}

/** Links the account to the user; the user the account is linked to (already, or now). */
export async function linkIdentity(
  db: Db,
  identity: { issuer: string; subject: string; providerId: string; email: string | undefined },
  userId: string,
): Promise<string> {
  await db
    .insert(userIdentities)
    .values({ ...identity, email: identity.email ?? null, userId })
    .onConflictDoNothing();
  const [row] = await db
    .select({ userId: userIdentities.userId })
    .from(userIdentities)
    .where(sameAccount(identity));
  return row!.userId;
}
