// Visualization: an entity other subgraphs reference by id; visible to its owner and the users
// it is shared with.
import { requireScope } from '@supergraph/kit';
import type { VisualizationResolvers } from '../generated/resolvers-types.js';
import { READ_SCOPE } from '../inputs.js';

export const Visualization: VisualizationResolvers = {
  __resolveReference({ id }, context) {
    requireScope(context, READ_SCOPE);
    return context.visualizations.load(id);
  },
  owner: (visualization) => ({ __typename: 'User', id: visualization.ownerId }),
  shares: (visualization, _args, context) =>
    visualization.role === 'OWNER' ? context.visualizationShares.load(visualization.id) : [],
};
