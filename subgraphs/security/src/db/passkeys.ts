// Queries on passkeys and on the challenges of their ceremonies. A challenge is taken by one
// DELETE ... RETURNING, so that of two answers to it at most one finds it (single use), and
// only while it has not expired.
import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import { passkeys, webauthnChallenges, type PasskeyRow, type tables } from './schema.js';

type Db = Database<typeof tables>;

export type ChallengePurpose = 'registration' | 'login';

export interface StoredChallenge {
  purpose: ChallengePurpose;
  userId: string | null;
  expiresAt: Date;
}

/** Stores a new challenge; expired ones of anyone are cleared on the way. */
export async function storeChallenge(
  db: Db,
  challenge: string,
  { purpose, userId, expiresAt }: StoredChallenge,
): Promise<void> {
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, sql`now()`));
  await db.insert(webauthnChallenges).values({ challenge, purpose, userId, expiresAt });
}

/** Takes a live challenge of `purpose` (it cannot be used again), of `userId` when given;
 * undefined if there is none. */
export async function takeChallenge(
  db: Db,
  challenge: string,
  purpose: ChallengePurpose,
  userId?: string,
): Promise<StoredChallenge | undefined> {
  const [taken] = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.challenge, challenge),
        eq(webauthnChallenges.purpose, purpose),
        userId === undefined ? undefined : eq(webauthnChallenges.userId, userId),
        gt(webauthnChallenges.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return taken && { purpose, userId: taken.userId, expiresAt: taken.expiresAt };
}

/** A user's passkeys, oldest first. */
export function passkeysOfUser(db: Db, userId: string): Promise<PasskeyRow[]> {
  return db
    .select()
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
}

export async function passkeyByCredentialId(
  db: Db,
  credentialId: string,
): Promise<PasskeyRow | undefined> {
  const [passkey] = await db.select().from(passkeys).where(eq(passkeys.credentialId, credentialId));
  return passkey;
}

export type NewPasskey = Omit<typeof passkeys.$inferInsert, 'id' | 'createdAt' | 'lastUsedAt'>;

/** Stores a registered passkey; undefined if its credential is registered already. */
export async function insertPasskey(db: Db, values: NewPasskey): Promise<PasskeyRow | undefined> {
  const [passkey] = await db.insert(passkeys).values(values).onConflictDoNothing().returning();
  return passkey;
}

/**
 * Records a use of a passkey: its new counter and backup state. Conditional on the counter
 * read before verifying, so that two concurrent uses of one signature cannot both pass.
 */
export async function recordPasskeyUse(
  db: Db,
  passkey: PasskeyRow,
  use: { counter: number; backedUp: boolean; deviceType: string },
): Promise<PasskeyRow | undefined> {
  const [updated] = await db
    .update(passkeys)
    .set({ ...use, lastUsedAt: new Date() })
    .where(and(eq(passkeys.id, passkey.id), eq(passkeys.counter, passkey.counter)))
    .returning();
  return updated;
}

/** Renames one of a user's passkeys; undefined if the user has no such passkey. */
export async function renamePasskey(
  db: Db,
  userId: string,
  id: string,
  name: string,
): Promise<PasskeyRow | undefined> {
  const [passkey] = await db
    .update(passkeys)
    .set({ name })
    .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
    .returning();
  return passkey;
}

/** Deletes one of a user's passkeys; undefined if the user has no such passkey. */
export async function deletePasskey(
  db: Db,
  userId: string,
  id: string,
): Promise<PasskeyRow | undefined> {
  const [passkey] = await db
    .delete(passkeys)
    .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
    .returning();
  return passkey;
}
