import { scalarResolvers } from '@supergraph/kit';
import type { Resolvers } from '../generated/resolvers-types.js';
import { Document } from './document.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Subscription } from './subscription.js';
import { DocumentShare, DocumentUpdateEvent, DocumentVersion, PresenceEvent } from './version.js';
import { User } from './user.js';
import { Visualization } from './visualization.js';

export const resolvers: Resolvers = {
  DateTime: scalarResolvers.DateTime,
  JSON: scalarResolvers.JSON,
  Query,
  Mutation,
  Subscription,
  DocumentVersion,
  DocumentShare,
  DocumentUpdateEvent,
  PresenceEvent,
  Document,
  Visualization,
  User,
};
