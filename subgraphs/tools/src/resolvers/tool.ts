// Tool: an entity other subgraphs reference by id (for example execution records).
import { requireScope } from '@supergraph/kit';
import type { ToolResolvers } from '../generated/resolvers-types.js';
import { READ_SCOPE } from '../inputs.js';

export const Tool: ToolResolvers = {
  __resolveReference({ id }, context) {
    requireScope(context, READ_SCOPE);
    return context.tools.load(id);
  },
  createdBy: (tool) => (tool.createdBy ? { __typename: 'User', id: tool.createdBy } : null),
};
