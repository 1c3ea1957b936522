// Backpressure: every query and mutation the router executes goes through one admission queue
// per process (admission-queue.ts), so that a burst waits in a bounded line instead of piling
// up work; what does not fit, or waits too long, is shed at once with OVERLOADED (HTTP 503,
// Retry-After). Subscriptions are not admitted here: their streams would hold a slot for their
// whole life, and they are bounded per connection and per subscriber instead.
import { getOperationAST, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter } from 'prom-client';
import { codedError, sameSecret, type ServiceMetrics } from '@supergraph/kit';
import {
  AdmissionRefused,
  SHED_REASONS,
  createAdmissionQueue,
  type QueueOrder,
  type ShedReason,
} from './admission-queue.js';
import { callerSignalOf } from './caller-signal.js';

/** A trusted caller's priority (an integer, higher goes first), with the secret below. */
export const PRIORITY_HEADER = 'x-priority';
/** Proves the caller trusted: must equal ROUTER_PRIORITY_SECRET. */
export const PRIORITY_SECRET_HEADER = 'x-priority-secret';
/** What a shed request is told to wait before it tries again. */
export const OVERLOADED_RETRY_AFTER_S = 1;
const PRIORITY_VALUE = /^-?\d{1,3}$/;

export interface BackpressureSettings {
  concurrency: number;
  maxQueue: number;
  queueTimeoutMs: number;
  order: QueueOrder;
  /** Admission priority per operation type, with order `priority`. */
  operationPriorities: Partial<Record<'query' | 'mutation', number>>;
  /** Unset: the priority header is ignored, whoever sends it. */
  prioritySecret?: string | undefined;
}

const SHED_MESSAGES: Record<ShedReason, string> = {
  queue_full: 'The router is at capacity and its queue is full',
  queue_timeout: 'The request waited too long for the router to take it',
  client_gone: 'The client went away while the request waited',
};

export function overloadedError(reason: ShedReason, retryAfter = OVERLOADED_RETRY_AFTER_S) {
  return codedError('OVERLOADED', `${SHED_MESSAGES[reason]}; retry in ${retryAfter} s.`, {
    extensions: {
      reason,
      retryAfter,
      http: { status: 503, headers: { 'Retry-After': String(retryAfter) } },
    },
  });
}

function priorityOf(
  args: ExecutionArgs,
  request: Request | undefined,
  settings: BackpressureSettings,
): number {
  const claimed = request?.headers.get(PRIORITY_HEADER);
  const secret = request?.headers.get(PRIORITY_SECRET_HEADER);
  if (
    settings.prioritySecret &&
    claimed &&
    secret &&
    PRIORITY_VALUE.test(claimed) &&
    sameSecret(secret, settings.prioritySecret)
  ) {
    return Number(claimed);
  }
  const type = getOperationAST(args.document, args.operationName)?.operation;
  return type === 'query' || type === 'mutation' ? (settings.operationPriorities[type] ?? 0) : 0;
}

export function createBackpressure(settings: BackpressureSettings, metrics: ServiceMetrics) {
  const inFlight = metrics.gauge(
    'router_admission_in_flight',
    'GraphQL operations the router is executing now',
  );
  const queueDepth = metrics.gauge(
    'router_admission_queue_depth',
    'GraphQL operations waiting for the router to take them',
  );
  const shed = new Counter({
    name: 'router_admission_shed_total',
    help: 'GraphQL operations not executed: queue_full, queue_timeout, or client_gone (left the queue)',
    labelNames: ['reason'] as const,
    registers: [metrics.registry],
  });
  for (const reason of SHED_REASONS) shed.inc({ reason }, 0);
  const admission = createAdmissionQueue({
    ...settings,
    onChange: (stats) => {
      inFlight.set(stats.inFlight);
      queueDepth.set(stats.queued);
    },
  });

  /** Must come after the plugin that sets the executor (useGatewayExecutor): it wraps it. */
  const plugin: Plugin = {
    onExecute({ args, executeFn, setExecuteFn }) {
      const request = (args.contextValue as { request?: Request }).request;
      const priority = priorityOf(args, request, settings);
      // The signal comes from the arguments it runs with: a shared execution (inbound-dedup.ts)
      // leaves the queue only when all of its callers have gone, not with its first one.
      setExecuteFn((executeArgs) =>
        admission
          .run(async () => executeFn(executeArgs), {
            priority,
            signal: callerSignalOf(executeArgs.contextValue),
          })
          .catch((error: unknown) => {
            if (!(error instanceof AdmissionRefused)) throw error;
            shed.inc({ reason: error.reason });
            return { errors: [overloadedError(error.reason)] };
          }),
      );
    },
  };

  return { plugin, stats: admission.stats };
}
