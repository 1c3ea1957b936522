// The yoga options every service shares, the router included: where GraphQL is served, error
// masking, CORS, and the guards that run before any operation (body limit, CSRF, operation
// limits) or around one (token expiry of subscriptions), plus the service endpoints and metrics.
import type { Plugin } from 'graphql-yoga';
import { requestBodyLimit } from './body-limit.js';
import type { ServiceConfig } from './config.js';
import { corsFor, useCsrfPrevention } from './cross-origin.js';
import { maskErrorFor, useUnexpectedErrorLog } from './error-masking.js';
import { useOperationLimits } from './operation-limits.js';
import { serviceEndpointsPlugin, type ServiceEndpointsOptions } from './service-plugins.js';
import { useTokenExpiry } from './token-expiry.js';
import { GRAPHQL_PATH } from './websocket.js';

export type ServiceYogaEndpoints = Omit<ServiceEndpointsOptions, 'metricsSettings'>;

export function serviceYogaOptions(config: ServiceConfig, endpoints: ServiceYogaEndpoints) {
  const { logger } = endpoints;
  return {
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    logging: logger,
    maskedErrors: { isDev: config.unmaskedErrors, maskError: maskErrorFor(logger) },
    cors: corsFor(config.cors),
    plugins: [
      requestBodyLimit(config.maxBodyBytes),
      useCsrfPrevention(),
      useOperationLimits(config),
      serviceEndpointsPlugin({ ...endpoints, metricsSettings: config.metrics }),
      useUnexpectedErrorLog(),
      useTokenExpiry(),
    ] as Plugin[],
  };
}
