// Usage and budgets: every completion is recorded (streamed ones too); aggregates by
// provider, model, user or day; a user's spending this month is checked before each call.
import { and, eq, gte, lt, sql, sum } from 'drizzle-orm';
import type { Database } from '@supergraph/kit';
import { budgets, usageRecords, type tables } from './schema.js';

type Db = Database<typeof tables>;

export type UsageRecord = typeof usageRecords.$inferInsert;

export async function recordUsage(db: Db, record: UsageRecord): Promise<void> {
  await db.insert(usageRecords).values(record);
}

export const COMPLETION_EVENT = 'completion:ended';
export type CompletionEvents = { [COMPLETION_EVENT]: [string, UsageRecord] };

const monthStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

export async function spentThisMonth(db: Db, userId: string, now = new Date()): Promise<number> {
  const [row] = await db
    .select({ spent: sum(usageRecords.costUsd) })
    .from(usageRecords)
    .where(and(eq(usageRecords.userId, userId), gte(usageRecords.createdAt, monthStart(now))));
  return Number(row?.spent ?? 0);
}

export async function budgetOf(db: Db, userId: string): Promise<number | undefined> {
  const [row] = await db.select().from(budgets).where(eq(budgets.userId, userId));
  return row?.monthlyLimitUsd;
}

export async function setBudget(db: Db, userId: string, monthlyLimitUsd: number): Promise<void> {
  await db
    .insert(budgets)
    .values({ userId, monthlyLimitUsd })
    .onConflictDoUpdate({
      target: budgets.userId,
      set: { monthlyLimitUsd, updatedAt: sql`now()` },
    });
}

export type UsageGroupBy = 'PROVIDER' | 'MODEL' | 'USER' | 'DAY';

const KEY = {
  PROVIDER: sql<string>`coalesce(${usageRecords.providerId}::text, 'unknown')`,
  MODEL: sql<string>`coalesce(${usageRecords.modelId}::text, 'unknown')`,
  USER: sql<string>`${usageRecords.userId}::text`,
  DAY: sql<string>`to_char(${usageRecords.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
} as const;

/** Totals per group; `userId` limits them to one user's completions. */
export function usageSummary(
  db: Db,
  { groupBy, userId, from, to }: { groupBy: UsageGroupBy; userId?: string; from?: Date; to?: Date },
) {
  const key = KEY[groupBy];
  return db
    .select({
      key,
      requests: sql<number>`count(*)::int`,
      promptTokens: sql<number>`coalesce(sum(${usageRecords.promptTokens}), 0)::int`,
      completionTokens: sql<number>`coalesce(sum(${usageRecords.completionTokens}), 0)::int`,
      costUsd: sql<number>`coalesce(sum(${usageRecords.costUsd}), 0)::float8`,
      errors: sql<number>`count(*) FILTER (WHERE ${usageRecords.status} <> 'OK')::int`,
    })
    .from(usageRecords)
    .where(
      and(
        userId ? eq(usageRecords.userId, userId) : undefined,
        from ? gte(usageRecords.createdAt, from) : undefined,
        to ? lt(usageRecords.createdAt, to) : undefined,
      ),
    )
    .groupBy(key)
    .orderBy(key);
}
