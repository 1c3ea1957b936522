// The kit: the only code the services share.
export * from './cancellation.js';
export * from './config.js';
export * from './database.js';
export * from './errors.js';
export * from './identity.js';
export * from './logger.js';
export * from './metrics.js';
export * from './pubsub.js';
export * from './retry.js';
export * from './server.js';
export * from './websocket.js';
export {
  REQUEST_ID_HEADER,
  baseContextFor,
  readinessReport,
  serviceEndpointsPlugin,
  type Readiness,
} from './service-plugins.js';
export { maskErrorFor, requestBodyLimit, useUnexpectedErrorLog } from './error-masking.js';
export { scalarResolvers } from './scalars.js';
export { DEFAULT_EXECUTION_SLICE_MS, withEventLoopTurns } from './event-loop-turns.js';
export { parseInput } from './validation.js';
export { isUuid, rowsByIds, rowsGroupedBy } from './ids.js';
