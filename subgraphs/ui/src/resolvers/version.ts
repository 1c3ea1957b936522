// DocumentVersion, DocumentShare, DocumentUpdateEvent and PresenceEvent: what the collaboration
// API returns besides documents; users are references the security subgraph resolves.
import * as Y from 'yjs';
import { textOf } from '../collab/codec.js';
import type {
  DocumentShareResolvers,
  DocumentUpdateEventResolvers,
  DocumentVersionResolvers,
  PresenceEventResolvers,
} from '../generated/resolvers-types.js';

const user = (id: string | null) => (id ? { __typename: 'User' as const, id } : null);

export const DocumentVersion: DocumentVersionResolvers = {
  author: (version) => user(version.authorId),
  async content(version, _args, context) {
    // A page of versions comes without states: one query loads those of the whole page.
    const state = version.state ?? (await context.versionStates.load(version.id));
    const doc = new Y.Doc();
    if (state) Y.applyUpdate(doc, state);
    return textOf(doc);
  },
};

export const DocumentShare: DocumentShareResolvers = {
  user: (share) => user(share.userId),
};

export const DocumentUpdateEvent: DocumentUpdateEventResolvers = {
  author: (event) => user(event.authorId),
};

export const PresenceEvent: PresenceEventResolvers = {
  user: (event) => user(event.userId),
};
