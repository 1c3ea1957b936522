// What the tools subgraph adds to its /metrics: executions running on this replica, the
// queue over all replicas, and how executions end and how long they take, by kind of tool.
import { Counter, Histogram } from 'prom-client';
import type { Gauge } from 'prom-client';
import type { ServiceMetrics } from '@supergraph/kit';

export interface ToolMetrics {
  running: Gauge;
  queued: Gauge;
  finished: Counter<'kind' | 'status'>;
  duration: Histogram<'kind'>;
}

export function toolMetrics(metrics: ServiceMetrics): ToolMetrics {
  return {
    running: metrics.gauge('tools_executions_running', 'Executions this replica runs now'),
    queued: metrics.gauge(
      'tools_executions_queued',
      'Executions waiting for a worker, over all replicas (sampled by the reaper)',
    ),
    finished: new Counter({
      name: 'tools_executions_finished_total',
      help: 'Executions this replica finished, by kind of tool and final status',
      labelNames: ['kind', 'status'],
      registers: [metrics.registry],
    }),
    duration: new Histogram({
      name: 'tools_execution_duration_seconds',
      help: 'Run time of the executions this replica finished, by kind of tool',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [metrics.registry],
    }),
  };
}
