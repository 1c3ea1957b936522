// @supergraph/collab-client: a Yjs provider for the supergraph's collaborative documents.
export {
  CollabProvider,
  type CollabProviderEvents,
  type CollabProviderOptions,
  type CollabStatus,
  type SequenceEvent,
} from './provider.js';
export { CollabError } from './transport.js';
