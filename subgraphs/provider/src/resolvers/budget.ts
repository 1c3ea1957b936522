// A user's budget as the API shows it: the limit, this month's spending, and what remains.
import { budgetOf, spentThisMonth } from '../db/usage.js';
import type { ProviderContext } from '../context.js';

export async function budgetView(context: ProviderContext, userId: string) {
  const [monthlyLimit, spent] = await Promise.all([
    budgetOf(context.db, userId),
    spentThisMonth(context.db, userId),
  ]);
  return {
    monthlyLimit: monthlyLimit ?? null,
    spentThisMonth: spent,
    remaining: monthlyLimit === undefined ? null : Math.max(0, monthlyLimit - spent),
  };
}
