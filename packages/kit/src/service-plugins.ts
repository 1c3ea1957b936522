// The endpoints every service answers (/health, /readyz, /v1/metadata, /metrics), request
// ids, per-operation metrics, and the base context (request id, logger, verified identity).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GraphQLError, getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import {
  bearerToken,
  connectionAuthorization,
  type Identity,
  type IdentityVerifier,
} from './identity.js';
import type { Logger } from './logger.js';
import type { MetricsSettings } from './config.js';
import { ANONYMOUS_OPERATION, metricsResponse, type ServiceMetrics } from './metrics.js';

export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

export type Readiness = Record<string, () => Promise<void>>;

export interface BaseContext {
  requestId: string;
  logger: Logger;
  identity: Identity | null;
  /** Headers to forward on calls to other services. */
  forwardHeaders: Record<string, string>;
}

const requestIds = new WeakMap<Request, string>();

function requestIdOf(header: string | null | undefined): string {
  return header && REQUEST_ID_PATTERN.test(header) ? header : randomUUID();
}

interface InitialContext {
  request?: Request;
  req?: IncomingMessage;
  connectionParams?: Record<string, unknown>;
}

function headerOf(initial: InitialContext, name: string): string | undefined {
  const fromFetch = initial.request?.headers.get(name);
  if (fromFetch) return fromFetch;
  const fromNode = initial.req?.headers[name];
  return Array.isArray(fromNode) ? fromNode[0] : fromNode;
}

export async function baseContextFor(
  initial: InitialContext,
  verifier: IdentityVerifier,
  logger: Logger,
): Promise<BaseContext> {
  const requestId =
    (initial.request && requestIds.get(initial.request)) ??
    requestIdOf(headerOf(initial, REQUEST_ID_HEADER));
  const authorization =
    headerOf(initial, 'authorization') ?? connectionAuthorization(initial.connectionParams);
  let token: string | undefined;
  let identity: Identity | null = null;
  try {
    token = bearerToken(authorization);
    identity = token ? await verifier.verify(token) : null;
  } catch (error) {
    // No operation runs with a bad token: answer 401 as HTTP authentication expects.
    throw withHttpStatus(error as GraphQLError, 401, { 'WWW-Authenticate': 'Bearer' });
  }
  const forwardHeaders: Record<string, string> = { [REQUEST_ID_HEADER]: requestId };
  const traceparent = headerOf(initial, 'traceparent');
  if (traceparent) forwardHeaders['traceparent'] = traceparent;
  if (token) forwardHeaders['authorization'] = `Bearer ${token}`;
  return {
    requestId,
    logger: logger.child({ requestId }),
    identity,
    forwardHeaders,
  };
}

export interface ServiceEndpointsOptions {
  name: string;
  version: string;
  capabilities: string[];
  readiness: Readiness;
  metrics: ServiceMetrics;
  /** Where /metrics is served (here, or on a port of its own) and its token. */
  metricsSettings: MetricsSettings;
  logger: Logger;
  /** The service's own paths (a JWKS, an MCP endpoint). They receive every method, so each
   * handler checks the method itself; the standard endpoints above answer GET only. */
  routes: Record<string, (request: Request) => Response | Promise<Response>>;
  /** Endpoints advertised in /v1/metadata beside the standard ones. */
  endpoints?: Record<string, unknown>;
  /** More to report in /readyz (e.g. the router's breaker states). */
  details?: () => Record<string, unknown>;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });

export async function readinessReport(readiness: Readiness) {
  const checks: Record<string, { ok: boolean; error?: string }> = {};
  await Promise.all(
    Object.entries(readiness).map(async ([name, check]) => {
      try {
        await check();
        checks[name] = { ok: true };
      } catch (error) {
        checks[name] = { ok: false, error: (error as Error).message };
      }
    }),
  );
  const ready = Object.values(checks).every((check) => check.ok);
  return { ready, checks };
}

export function serviceEndpointsPlugin(options: ServiceEndpointsOptions): Plugin {
  const { name, version, capabilities, readiness, metrics, metricsSettings, routes } = options;
  const metricsHere = metricsSettings.port === undefined;
  const started = new WeakMap<Request, { at: bigint; operation: string }>();
  const standard: Record<string, (request: Request) => Response | Promise<Response>> = {
    '/health': () => json({ status: 'ok', service: name }),
    '/readyz': async () => {
      const { ready, checks } = await readinessReport(readiness);
      return json(
        { status: ready ? 'ready' : 'not ready', service: name, checks, ...options.details?.() },
        ready ? 200 : 503,
      );
    },
    '/v1/metadata': () =>
      json({
        name,
        version,
        capabilities,
        endpoints: {
          graphql: '/graphql',
          health: '/health',
          readiness: '/readyz',
          metadata: '/v1/metadata',
          ...(metricsHere
            ? { metrics: '/metrics' }
            : { metrics: `:${metricsSettings.port}/metrics` }),
          ...options.endpoints,
          ...Object.fromEntries(Object.keys(routes).map((path) => [path, path])),
        },
      }),
    ...(metricsHere
      ? {
          '/metrics': (request: Request) =>
            metricsResponse(
              metrics,
              metricsSettings,
              request.headers.get('authorization'),
              options.logger,
            ),
        }
      : {}),
  };
  return {
    onRequest({ request, url, endResponse }) {
      requestIds.set(request, requestIdOf(request.headers.get(REQUEST_ID_HEADER)));
      const route =
        routes[url.pathname] ?? (request.method === 'GET' ? standard[url.pathname] : undefined);
      if (route) {
        return Promise.resolve(route(request)).then((response) => {
          response.headers.set(REQUEST_ID_HEADER, requestIds.get(request)!);
          endResponse(response);
        });
      }
      started.set(request, { at: process.hrtime.bigint(), operation: ANONYMOUS_OPERATION });
      return undefined;
    },
    onExecute({ args }) {
      // The operation's own name, also when the client did not send operationName.
      const request = (args.contextValue as { request?: Request }).request;
      const entry = request && started.get(request);
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      if (entry && name) entry.operation = metrics.operationLabel(name);
    },
    onSubscribe() {
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return undefined;
          metrics.subscriptions.inc();
          return { onEnd: () => metrics.subscriptions.dec() };
        },
      };
    },
    onResponse({ request, response }) {
      const requestId = requestIds.get(request);
      if (requestId) response.headers.set(REQUEST_ID_HEADER, requestId);
      const entry = started.get(request);
      if (!entry) return;
      const seconds = Number(process.hrtime.bigint() - entry.at) / 1e9;
      metrics.latency.observe({ operation: entry.operation }, seconds);
      metrics.requests.inc({ operation: entry.operation, status: String(response.status) });
    },
  };
}

function withHttpStatus(error: GraphQLError, status: number, headers: Record<string, string>) {
  return new GraphQLError(error.message, {
    originalError: error.originalError ?? undefined,
    extensions: { ...error.extensions, http: { status, headers } },
  });
}
