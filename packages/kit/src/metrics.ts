// Prometheus metrics (prom-client): one registry per service, so that in-process tests with
// several services do not mix their series.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServiceMetrics {
  registry: Registry;
  requests: Counter<'operation' | 'status'>;
  latency: Histogram<'operation'>;
  /** Subscriptions open now, over graphql-ws and SSE alike. */
  subscriptions: Gauge;
  gauge(name: string, help: string, labelNames?: string[]): Gauge;
}

export function createMetrics(service: string, { defaults = true } = {}): ServiceMetrics {
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
  return { registry, requests, latency, subscriptions, gauge };
}
