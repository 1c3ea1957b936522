// What the ui subgraph publishes on the kit's pubsub (in process, or Redis across replicas):
// stored updates, presence changes and lost access, each under the document's id.
import type { PubSub } from 'graphql-yoga';

/** A stored update, as it is published and as documentUpdates streams it. */
export interface UpdateEvent {
  documentId: string;
  seq: number;
  /** base64 */
  update: string;
  clientId: string | null;
  authorId: string;
  createdAt: string;
}

export type PresenceChange = 'JOIN' | 'UPDATE' | 'LEAVE';

/** A presence change as it travels between replicas. */
export interface PresenceMessage {
  /** The replica that sent it. */
  origin: string;
  documentId: string;
  clientId: string;
  userId: string;
  /** null: the client left. */
  state: Record<string, unknown> | null;
  /** Epoch milliseconds after which the entry is gone unless renewed. */
  expiresAt: number;
}

/** A presence change as documentPresence streams it. */
export interface PresenceEventModel {
  documentId: string;
  change: PresenceChange;
  clientId: string;
  userId: string;
  state: Record<string, unknown> | null;
}

/** A user lost access to a document (unshared): their subscriptions of it end. */
export interface AccessRevoked {
  documentId: string;
  userId: string;
}

export const UPDATE = 'ui:document-update';
export const PRESENCE = 'ui:document-presence';
export const REVOKED = 'ui:document-revoked';

export type UiEvents = {
  [UPDATE]: [string, UpdateEvent];
  [PRESENCE]: [string, PresenceMessage];
  [REVOKED]: [string, AccessRevoked];
};

export type UiPubSub = PubSub<UiEvents>;
