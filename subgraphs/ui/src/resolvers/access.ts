// Who may do what with a document: the owner everything, an editor read and write, a viewer
// read. A document the caller may not see is NOT_FOUND, like a missing one, so that whether
// someone else's document exists is not revealed.
import { codedError, notFound, requireScope } from '@supergraph/kit';
import type { UiContext } from '../context.js';
import type { DocumentRow } from '../db/schema.js';
import { READ_SCOPE, WRITE_SCOPE } from '../inputs.js';

export type Need = 'read' | 'write' | 'owner';

export async function documentFor(
  context: UiContext,
  id: string,
  need: Need,
  field = 'documentId',
): Promise<DocumentRow & { userId: string }> {
  const { userId } = requireScope(context, need === 'read' ? READ_SCOPE : WRITE_SCOPE);
  const document = await context.documents.load(id);
  if (!document) throw notFound('Document', id, field);
  if (need === 'write' && document.role === 'VIEWER') {
    throw codedError('FORBIDDEN', `You may read document ${id} but not change it (VIEWER).`);
  }
  if (need === 'owner' && document.role !== 'OWNER') {
    throw codedError('FORBIDDEN', `Only the owner of document ${id} may do this.`);
  }
  return { ...document, userId };
}
