// Prometheus metrics (prom-client): one registry per service, so that in-process tests with
// several services do not mix their series.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricsSettings } from './config.js';
import { sameSecret } from './identity.js';
import type { Logger } from './logger.js';

/** Operation names past this length never become a label (clients choose them). */
const MAX_OPERATION_LABEL_LENGTH = 64;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
/** The label of operations without a name. */
export const ANONYMOUS_OPERATION = 'anonymous';
/** The label of operations past the bound of distinct names, or with unfit names. */
export const OTHER_OPERATION = 'other';
const DEFAULT_MAX_OPERATIONS = 100;

export interface ServiceMetrics {
  registry: Registry;
  requests: Counter<'operation' | 'status'>;
  latency: Histogram<'operation'>;
  /** Subscriptions open now, over graphql-ws and SSE alike. */
  subscriptions: Gauge;
  gauge(name: string, help: string, labelNames?: string[]): Gauge;
  counter(name: string, help: string, labelNames?: string[]): Counter;
  /**
   * The `operation` label for an operation name: the name itself for the first
   * `maxOperations` distinct fitting names, `other` after them, so that clients cannot grow
   * the series without bound.
   */
  operationLabel(name: string | null | undefined): string;
  /** What /metrics answers, when it is more than this registry: a cluster worker answers
   * the whole cluster's (the router's cluster.ts). */
  collect?: () => Promise<string>;
}

export function createMetrics(
  service: string,
  { defaults = true, maxOperations = DEFAULT_MAX_OPERATIONS } = {},
): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (defaults) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests by operation name and outcome',
    labelNames: ['operation', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL request latency by operation name',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const subscriptions = new Gauge({
    name: 'graphql_subscriptions_active',
    help: 'Subscriptions open now (graphql-ws and SSE)',
    registers: [registry],
  });
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    (registry.getSingleMetric(name) as Gauge | undefined) ??
    new Gauge({ name, help, labelNames, registers: [registry] });
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    (registry.getSingleMetric(name) as Counter | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] });
  const labelled = new Set<string>();
  const operationLabel = (name: string | null | undefined) => {
    if (!name) return ANONYMOUS_OPERATION;
    if (labelled.has(name)) return name;
    if (
      name.length > MAX_OPERATION_LABEL_LENGTH ||
      !GRAPHQL_NAME.test(name) ||
      labelled.size >= maxOperations
    ) {
      return OTHER_OPERATION;
    }
    labelled.add(name);
    return name;
  };
  return { registry, requests, latency, subscriptions, gauge, counter, operationLabel };
}

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  });

/**
 * GET /metrics: the registry in Prometheus' text format, behind the bearer token when one is
 * configured. A failure is logged and answered with a plain 500 that says nothing about the
 * internals (the caller may be anyone).
 */
export async function metricsResponse(
  metrics: ServiceMetrics,
  settings: Pick<MetricsSettings, 'token'>,
  authorization: string | null,
  logger: Logger,
): Promise<Response> {
  if (settings.token && !sameSecret(authorization ?? '', `Bearer ${settings.token}`)) {
    return text(401, 'The metrics need Authorization: Bearer <METRICS_TOKEN>.\n', {
      'www-authenticate': 'Bearer realm="metrics"',
    });
  }
  try {
    const body = await (metrics.collect ?? (() => metrics.registry.metrics()))();
    return new Response(body, { headers: { 'content-type': metrics.registry.contentType } });
  } catch (error) {
    logger.error({ err: error }, 'the metrics could not be collected');
    return text(500, 'The metrics could not be collected; the service log says why.\n');
  }
}
