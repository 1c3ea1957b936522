// Queries on providers and their models. Batch functions serve the DataLoaders of a request.
import { arrayContains, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import { rowsByIds, rowsGroupedBy } from '@supergraph/kit';
import {
  models,
  providers,
  type ModelRow,
  type NewModel,
  type NewProvider,
  type ProviderRow,
  type tables,
} from './schema.js';

type Db = Database<typeof tables>;
type Capability = ModelRow['capabilities'][number];

export const OFFLINE_ECHO_PROVIDER = 'offline-echo';
export const OFFLINE_ECHO_MODEL = 'echo-1';
const ECHO_CONTEXT_WINDOW = 8_192;

/** The offline echo provider and its model; idempotent, so every start may call it. */
export async function seedOfflineEcho(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(providers)
      .values({ name: OFFLINE_ECHO_PROVIDER, kind: 'OFFLINE_ECHO' })
      .onConflictDoNothing({ target: providers.name });
    const [provider] = await tx
      .select({ id: providers.id })
      .from(providers)
      .where(eq(providers.name, OFFLINE_ECHO_PROVIDER));
    await tx
      .insert(models)
      .values({
        providerId: provider!.id,
        name: OFFLINE_ECHO_MODEL,
        capabilities: ['CHAT'],
        contextWindow: ECHO_CONTEXT_WINDOW,
        inputPricePerMillion: 0,
        outputPricePerMillion: 0,
      })
      .onConflictDoNothing({ target: [models.providerId, models.name] });
  });
}

/** The new provider; undefined if the name is taken. */
export async function insertProvider(
  db: Db,
  values: NewProvider,
): Promise<ProviderRow | undefined> {
  const [row] = await db
    .insert(providers)
    .values(values)
    .onConflictDoNothing({ target: providers.name })
    .returning();
  return row;
}

/** The new model; undefined if its provider already has a model of that name. */
export async function insertModel(db: Db, values: NewModel): Promise<ModelRow | undefined> {
  const [row] = await db
    .insert(models)
    .values(values)
    .onConflictDoNothing({ target: [models.providerId, models.name] })
    .returning();
  return row;
}

export const listProviders = (db: Db): Promise<ProviderRow[]> =>
  db.select().from(providers).orderBy(asc(providers.name));

export const listModels = (db: Db, capability?: Capability | null): Promise<ModelRow[]> =>
  db
    .select()
    .from(models)
    .where(capability ? arrayContains(models.capabilities, [capability]) : undefined)
    .orderBy(asc(models.name), asc(models.id));

export async function providersByIds(
  db: Db,
  ids: readonly string[],
): Promise<(ProviderRow | null)[]> {
  return rowsByIds(ids, (valid) => db.select().from(providers).where(inArray(providers.id, valid)));
}

export async function modelsByIds(db: Db, ids: readonly string[]): Promise<(ModelRow | null)[]> {
  return rowsByIds(ids, (valid) => db.select().from(models).where(inArray(models.id, valid)));
}

export async function modelsByProviderIds(db: Db, ids: readonly string[]): Promise<ModelRow[][]> {
  return rowsGroupedBy(
    ids,
    (valid) =>
      db.select().from(models).where(inArray(models.providerId, valid)).orderBy(asc(models.name)),
    (row) => row.providerId,
  );
}

/** Every model with its provider (the completion candidates). */
export const catalogue = (db: Db) =>
  db
    .select({ model: models, provider: providers })
    .from(models)
    .innerJoin(providers, eq(providers.id, models.providerId))
    .orderBy(asc(providers.name), asc(models.name));

/** PostgreSQL's unique_violation, as node-postgres and PGlite report it (drizzle wraps it). */
export function isUniqueViolation(error: unknown): boolean {
  const code =
    (error as { code?: string; cause?: { code?: string } }).code ??
    (error as { cause?: { code?: string } }).cause?.code;
  return code === '23505';
}

export async function updateProvider(db: Db, id: string, patch: Partial<NewProvider>) {
  const [row] = await db.update(providers).set(patch).where(eq(providers.id, id)).returning();
  return row;
}

export async function deleteProvider(db: Db, id: string) {
  const [row] = await db
    .delete(providers)
    .where(eq(providers.id, id))
    .returning({ id: providers.id });
  return row;
}

export async function updateModel(db: Db, id: string, patch: Partial<NewModel>) {
  const [row] = await db.update(models).set(patch).where(eq(models.id, id)).returning();
  return row;
}

export async function deleteModel(db: Db, id: string) {
  const [row] = await db.delete(models).where(eq(models.id, id)).returning({ id: models.id });
  return row;
}
