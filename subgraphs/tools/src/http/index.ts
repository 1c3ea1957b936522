// The HTTP kind of tool: calling a configured URL with the tool's arguments, within an egress
// allow-list. Everything the subgraph uses of it is exported here.
export { releaseEgressPolicy } from './agent.js';
export {
  callHttpTool,
  DEFAULT_ATTEMPTS,
  DEFAULT_MAX_REQUEST_BYTES,
  defaultTotalTimeoutMs,
  GET_ARGS_PARAM,
  HttpToolError,
  type HttpCallOptions,
  type HttpCallResult,
  type HttpToolFailure,
} from './call.js';
export {
  MAX_URL_LENGTH,
  parseHttpToolConfig,
  type HttpMethod,
  type HttpToolConfig,
} from './config.js';
export {
  checkEgress,
  EGRESS_ALLOW_ENV,
  parseEgressAllowList,
  type EgressPolicy,
} from './egress.js';
