// Document: an entity other subgraphs reference by id; visible only to its owner, so that
// whether someone else's document exists is not revealed (null, like a missing one).
import { requireScope } from '@supergraph/kit';
import type { UiContext } from '../context.js';
import type { DocumentRow } from '../db/schema.js';
import type { DocumentResolvers } from '../generated/resolvers-types.js';
import { READ_SCOPE } from '../inputs.js';

export async function ownDocument(context: UiContext, id: string): Promise<DocumentRow | null> {
  const { userId } = requireScope(context, READ_SCOPE);
  const document = await context.documents.load(id);
  return document?.ownerId === userId ? document : null;
}

export const Document: DocumentResolvers = {
  __resolveReference: ({ id }, context) => ownDocument(context, id),
  owner: (document) => ({ __typename: 'User', id: document.ownerId }),
};
