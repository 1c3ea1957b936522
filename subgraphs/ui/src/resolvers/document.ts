// Document: an entity other subgraphs reference by id; visible to its owner and the users it
// is shared with (null for anyone else, like a missing one).
import { requireScope } from '@supergraph/kit';
import { listVersions } from '../db/updates.js';
import type { DocumentResolvers } from '../generated/resolvers-types.js';
import { READ_SCOPE, versionsPage } from '../inputs.js';

export const Document: DocumentResolvers = {
  __resolveReference: ({ id }, context) => {
    requireScope(context, READ_SCOPE);
    return context.documents.load(id);
  },
  owner: (document) => ({ __typename: 'User', id: document.ownerId }),
  shares: (document, _args, context) =>
    document.role === 'OWNER' ? context.documentShares.load(document.id) : [],
  versions: (document, { first }, context) =>
    listVersions(context.db, document.id, versionsPage(first)),
};
