// Mutation: register providers and models (provider:admin), completions, budgets.
import { badInput, codedError, isUuid, notFound, parseInput, requireScope } from '@supergraph/kit';
import { z } from 'zod';
import {
  deleteModel,
  deleteProvider,
  insertModel,
  insertProvider,
  isUniqueViolation,
  updateModel,
  updateProvider,
} from '../db/providers.js';
import { complete } from '../completions.js';
import { setBudget } from '../db/usage.js';
import { completionInput } from '../inputs.js';
import { budgetView } from './budget.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';

const ADMIN_SCOPE = 'provider:admin';
const MAX_PROVIDER_NAME = 100;
const MAX_MODEL_NAME = 200;
const MAX_API_KEY = 4_096;

const name = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const isHttpUrl = (value: string): boolean => {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};
const httpUrl = z.string().trim().refine(isHttpUrl, 'must be an http or https URL');

const price = z.number().finite().min(0, 'must not be negative');

const createProviderInput = z.object({
  name: name(MAX_PROVIDER_NAME),
  kind: z.enum(['OPENAI_COMPATIBLE', 'ANTHROPIC', 'OFFLINE_ECHO']),
  baseUrl: httpUrl.nullish(),
  apiKey: z.string().max(MAX_API_KEY, `must be at most ${MAX_API_KEY} characters`).nullish(),
  enabled: z.boolean().nullish(),
  weight: z.number().int().min(0, 'must not be negative').nullish(),
  rateLimitPerMinute: z.number().int().min(1, 'must be at least 1').nullish(),
});

const createModelInput = z.object({
  providerId: z.string(),
  name: name(MAX_MODEL_NAME),
  capabilities: z.array(z.enum(['CHAT', 'EMBEDDINGS', 'VISION', 'TOOLS', 'JSON'])),
  contextWindow: z.number().int().min(1, 'must be at least 1'),
  inputPricePerMillion: price,
  outputPricePerMillion: price,
});

/** Only the fields given change; null clears baseUrl, apiKey and rateLimitPerMinute. */
const CLEARABLE = new Set(['baseUrl', 'apiKey', 'rateLimitPerMinute']);

const updateProviderInput = createProviderInput
  .omit({ kind: true })
  .partial()
  .extend({ id: z.string() })
  .transform(
    (input) =>
      Object.fromEntries(
        Object.entries(input).filter(
          ([key, value]) => value !== undefined && (value !== null || CLEARABLE.has(key)),
        ),
      ) as {
        id: string;
        name?: string;
        baseUrl?: string | null;
        apiKey?: string | null;
        enabled?: boolean;
        weight?: number;
        rateLimitPerMinute?: number | null;
      },
  );

const updateModelInput = createModelInput
  .omit({ providerId: true })
  .partial()
  .extend({ id: z.string() })
  .transform(
    (input) =>
      Object.fromEntries(
        Object.entries(input).filter(([, value]) => value !== undefined && value !== null),
      ) as typeof input & { id: string },
  );

export const Mutation: MutationResolvers = {
  async createProvider(_parent, { input }, context) {
    requireScope(context, ADMIN_SCOPE);
    const values = parseInput(createProviderInput, input);
    const provider = await insertProvider(context.db, {
      name: values.name,
      kind: values.kind,
      baseUrl: values.baseUrl ?? null,
      apiKey: values.apiKey ? context.sealSecret(values.apiKey) : null,
      enabled: values.enabled ?? true,
      weight: values.weight ?? 1,
      rateLimitPerMinute: values.rateLimitPerMinute ?? null,
    });
    if (!provider) {
      throw codedError('CONFLICT', `A provider named ${values.name} already exists.`, {
        extensions: { field: 'input.name' },
      });
    }
    context.logger.info({ providerId: provider.id, kind: provider.kind }, 'provider created');
    return provider;
  },

  async createModel(_parent, { input }, context) {
    requireScope(context, ADMIN_SCOPE);
    const values = parseInput(createModelInput, input);
    const provider = isUuid(values.providerId)
      ? await context.providers.load(values.providerId)
      : null;
    if (!provider) throw notFound('Provider', values.providerId);
    // A model deleted with its provider in between fails on the foreign key: masked, rare.
    const model = await insertModel(context.db, {
      ...values,
      capabilities: [...new Set(values.capabilities)],
    });
    if (!model) {
      throw codedError(
        'CONFLICT',
        `Provider ${provider.name} already has a model named ${values.name}.`,
        { extensions: { field: 'input.name' } },
      );
    }
    return model;
  },

  async complete(_parent, { input }, context) {
    const { userId } = requireScope(context, 'provider:complete');
    return complete(context, userId, completionInput(input));
  },

  async setBudget(_parent, { userId, monthlyLimit }, context) {
    requireScope(context, ADMIN_SCOPE);
    if (!isUuid(userId)) throw notFound('User', userId);
    if (!(monthlyLimit >= 0)) throw badInput('monthlyLimit must be 0 or more.', 'monthlyLimit');
    await setBudget(context.db, userId, monthlyLimit);
    return budgetView(context, userId);
  },

  async updateProvider(_parent, { input }, context) {
    requireScope(context, ADMIN_SCOPE);
    const { id, ...patch } = parseInput(updateProviderInput, input);
    if (Object.keys(patch).length === 0) throw badInput('input changes nothing.', 'input');
    const values = {
      ...patch,
      ...(patch.apiKey !== undefined
        ? { apiKey: patch.apiKey ? context.sealSecret(patch.apiKey) : null }
        : {}),
    };
    try {
      const row = isUuid(id) ? await updateProvider(context.db, id, values) : undefined;
      if (!row) throw notFound('Provider', id);
      return row;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw codedError('CONFLICT', `A provider named ${patch.name} already exists.`, {
        extensions: { field: 'input.name' },
      });
    }
  },

  async deleteProvider(_parent, { id }, context) {
    requireScope(context, ADMIN_SCOPE);
    if (!isUuid(id) || !(await deleteProvider(context.db, id))) throw notFound('Provider', id);
    return id;
  },

  async updateModel(_parent, { input }, context) {
    requireScope(context, ADMIN_SCOPE);
    const { id, ...patch } = parseInput(updateModelInput, input);
    if (Object.keys(patch).length === 0) throw badInput('input changes nothing.', 'input');
    const values = patch.capabilities
      ? { ...patch, capabilities: [...new Set(patch.capabilities)] }
      : patch;
    try {
      const row = isUuid(id) ? await updateModel(context.db, id, values) : undefined;
      if (!row) throw notFound('Model', id);
      return row;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw codedError('CONFLICT', `The provider already has a model named ${patch.name}.`, {
        extensions: { field: 'input.name' },
      });
    }
  },

  async deleteModel(_parent, { id }, context) {
    requireScope(context, ADMIN_SCOPE);
    if (!isUuid(id) || !(await deleteModel(context.db, id))) throw notFound('Model', id);
    return id;
  },
};
