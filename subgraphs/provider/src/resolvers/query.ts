// Query: the catalogue of providers and models (readable without a token: it holds no
// secrets), model selection, usage and budgets.
import { hasScope, requireScope } from '@supergraph/kit';
import { listModels, listProviders } from '../db/providers.js';
import { usageSummary } from '../db/usage.js';
import { targetsFor } from '../completions.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';
import { completionInput } from '../inputs.js';
import { budgetView } from './budget.js';

export const Query: QueryResolvers = {
  providers: (_parent, _args, { db }) => listProviders(db),
  provider: (_parent, { id }, { providers }) => providers.load(id),
  models: (_parent, { capability }, { db }) => listModels(db, capability),

  async selectModel(_parent, { requirements, strategy }, context) {
    const input = completionInput({
      messages: [{ role: 'USER', content: 'selection' }],
      requirements,
      strategy,
    });
    const targets = await targetsFor(context, input).catch(() => []);
    return targets[0]?.model ?? null;
  },

  async usage(_parent, { groupBy, from, to, allUsers }, context) {
    const identity = requireScope(context, 'provider:read');
    if (allUsers) requireScope(context, 'provider:admin');
    const rows = await usageSummary(context.db, {
      groupBy,
      userId: allUsers && hasScope(identity, 'provider:admin') ? undefined : identity.userId,
      from: from ? new Date(from) : undefined,
      to: to ? new Date(to) : undefined,
    });
    return rows.map(({ costUsd, ...row }) => ({ ...row, cost: costUsd }));
  },

  myBudget: (_parent, _args, context) =>
    budgetView(context, requireScope(context, 'provider:read').userId),
};
