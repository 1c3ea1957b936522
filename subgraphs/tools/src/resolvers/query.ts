// Query: the tool registry; everything needs the scope tools:read.
import { requireScope } from '@supergraph/kit';
import { findToolByName, listTools } from '../db/tools.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';
import { pageSize, READ_SCOPE } from '../inputs.js';

export const Query: QueryResolvers = {
  tools(_parent, { first }, context) {
    requireScope(context, READ_SCOPE);
    return listTools(context.db, pageSize(first));
  },
  tool(_parent, { id }, context) {
    requireScope(context, READ_SCOPE);
    return context.tools.load(id);
  },
  async toolByName(_parent, { name }, context) {
    requireScope(context, READ_SCOPE);
    return (await findToolByName(context.db, name)) ?? null;
  },
};
