// The kit: the only code the services share.
export * from './cancellation.js';
export * from './config.js';
export * from './database.js';
export * from './errors.js';
export * from './identity.js';
export * from './logger.js';
export * from './metrics.js';
export * from './pubsub.js';
export * from './rate-limit.js';
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
export { maskErrorFor, useUnexpectedErrorLog } from './error-masking.js';
export { readBodyWithin, requestBodyLimit } from './body-limit.js';
export {
  CSRF_HEADERS,
  corsFor,
  useCsrfPrevention,
  type CrossOriginPolicy,
} from './cross-origin.js';
export { serviceYogaOptions } from './service-yoga.js';
export { untilTokenEnds, useTokenExpiry } from './token-expiry.js';
export {
  DEFAULT_OPERATION_LIMITS,
  checkOperationLimits,
  createOperationLimitChecks,
  operationLimitError,
  useOperationLimits,
  type OperationLimitName,
  type OperationLimits,
  type OperationLimitSettings,
  type OperationRequest,
} from './operation-limits.js';
export { estimateCost, type CostEstimate } from './operation-cost.js';
export { scalarResolvers } from './scalars.js';
export { createGraphiQL, GRAPHIQL_ASSETS_PATH, type GraphiQLSettings } from './graphiql.js';
export { DEFAULT_EXECUTION_SLICE_MS, withEventLoopTurns } from './event-loop-turns.js';
export { parseInput } from './validation.js';
export { isUuid, rowsByIds, rowsGroupedBy } from './ids.js';
export {
  followRevocations,
  httpRevocationFeed,
  RevocationList,
  REVOCATIONS_PATH,
  REVOCATIONS_TOPIC,
  type Revocation,
  type RevocationEvents,
  type RevocationFeedPage,
  type RevocationFollower,
  type TokenFacts,
} from './revocations.js';
export {
  clientAddress,
  clientUserAgent,
  forwardedClientHeaders,
  routedClient,
  type ClientRequestContext,
} from './client-address.js';
