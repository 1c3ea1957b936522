// Model: an entity other subgraphs reference by id (for example usage records).
import { codedError } from '@supergraph/kit';
import type { ModelResolvers } from '../generated/resolvers-types.js';

export const Model: ModelResolvers = {
  __resolveReference: ({ id }, { models }) => models.load(id),
  async provider(model, _args, { providers }) {
    const provider = await providers.load(model.providerId);
    // The foreign key makes this unreachable; say so plainly if it ever happens.
    if (!provider) {
      throw codedError('INTERNAL_SERVER_ERROR', `Model ${model.id} has no provider.`);
    }
    return provider;
  },
};
