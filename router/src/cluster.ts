// The router on every core (ROUTER_WORKERS > 1): a primary process forks the workers, which
// share the port (node:cluster), replaces one that dies, forwards SIGHUP to them and stops them
// on shutdown. /metrics is the whole cluster's, whichever worker answers it: the worker asks
// the primary, which sums every worker's registry (prom-client's AggregatorRegistry).
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Logger } from '@supergraph/kit';

// Messages between the workers and the primary. prom-client's own clusterMetrics() asks every
// forked worker, so a worker still starting (which has no listener yet) would make every
// scrape during a restart wait for its timeout and fail: here only workers that said they can
// answer are asked, and one that dies meanwhile is left out.
type Message =
  /** worker → primary: it answers snapshot requests from now on. */
  | { type: 'router:metrics-ready' }
  /** worker → primary: /metrics was asked for. */
  | { type: 'router:cluster-metrics'; id: number }
  /** primary → worker: the cluster's metrics, or why not. */
  | { type: 'router:cluster-metrics-result'; id: number; text?: string; error?: string }
  /** primary → worker: its registry, please. */
  | { type: 'router:snapshot'; id: number }
  /** worker → primary: its registry as JSON. */
  | { type: 'router:snapshot-result'; id: number; metrics?: object[]; error?: string };

const isMessage = (value: unknown): value is Message =>
  typeof (value as { type?: unknown } | null)?.type === 'string' &&
  (value as { type: string }).type.startsWith('router:');

export interface PrimaryOptions {
  workers: number;
  logger: Logger;
  /** Workers replaced per minute before the primary gives up (every worker stopped, exit 1):
   * a crash loop is for the supervisor above to see, not to spin here. */
  maxRestartsPerMinute?: number;
  /** How long workers have to finish on shutdown before they are killed. */
  shutdownTimeoutMs?: number;
  /** How long a worker has to send its metrics. */
  snapshotTimeoutMs?: number;
}

/** The primary: `listen()` forks the workers, `close()` stops them (runService calls both). */
export function createPrimary({
  workers,
  logger,
  maxRestartsPerMinute = 10,
  shutdownTimeoutMs = 30_000,
  snapshotTimeoutMs = 5_000,
}: PrimaryOptions) {
  // The primary's own numbers, beside the workers' sums.
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'router' });
  const running = new Gauge({
    name: 'router_workers',
    help: 'Router worker processes running now',
    registers: [registry],
  });
  const replaced = new Counter({
    name: 'router_worker_restarts_total',
    help: 'Router workers that died and were replaced',
    registers: [registry],
  });
  const restarts = new RateLimiterMemory({ points: maxRestartsPerMinute, duration: 60 });
  const live = () => Object.values(cluster.workers ?? {}).filter(Boolean) as Worker[];
  const answering = new Set<Worker>();
  const snapshots = new Map<
    number,
    { worker: Worker; settle: (metrics: object[] | undefined, error?: string) => void }
  >();
  let nextSnapshot = 0;
  let stopping: Promise<void> | undefined;

  /** A worker's registry as JSON; undefined if it dies first. */
  const snapshotOf = (worker: Worker) =>
    new Promise<object[] | undefined>((resolve, reject) => {
      const id = (nextSnapshot += 1);
      const timer = setTimeout(
        () => settle(undefined, `worker ${worker.id} did not send its metrics in time`),
        snapshotTimeoutMs,
      );
      const settle = (metrics: object[] | undefined, error?: string) => {
        clearTimeout(timer);
        snapshots.delete(id);
        if (error) reject(new Error(error));
        else resolve(metrics);
      };
      snapshots.set(id, { worker, settle });
      // Sending to a worker that is going would fail with an 'error' event.
      if (worker.isConnected()) worker.send({ type: 'router:snapshot', id } satisfies Message);
      else settle(undefined);
    });

  async function clusterMetrics(): Promise<string> {
    const all = await Promise.all([...answering].map(snapshotOf));
    const text = await AggregatorRegistry.aggregate(
      all.filter((one) => one !== undefined),
    ).metrics();
    return text + (await registry.metrics());
  }

  function onMessage(worker: Worker, message: unknown) {
    if (!isMessage(message)) return;
    const reply = (answer: Message) => {
      if (worker.isConnected()) worker.send(answer);
    };
    switch (message.type) {
      case 'router:metrics-ready':
        answering.add(worker);
        break;
      case 'router:cluster-metrics':
        clusterMetrics().then(
          (text) => reply({ type: 'router:cluster-metrics-result', id: message.id, text }),
          (error: unknown) =>
            reply({
              type: 'router:cluster-metrics-result',
              id: message.id,
              error: (error as Error).message,
            }),
        );
        break;
      case 'router:snapshot-result':
        snapshots.get(message.id)?.settle(message.metrics, message.error);
        break;
    }
  }

  function onExit(worker: Worker, code: number | null, signal: string | null) {
    answering.delete(worker);
    for (const snapshot of snapshots.values()) {
      if (snapshot.worker === worker) snapshot.settle(undefined);
    }
    running.set(live().length);
    if (stopping) return;
    logger.error({ pid: worker.process.pid, code, signal }, 'a router worker died');
    restarts.consume('restarts').then(
      () => {
        replaced.inc();
        cluster.fork();
      },
      () => {
        logger.fatal(
          { maxRestartsPerMinute },
          'router workers die faster than they may be replaced; stopping',
        );
        void close().then(() => process.exit(1));
      },
    );
  }

  function close(): Promise<void> {
    stopping ??= new Promise<void>((resolve) => {
      const remaining = live();
      if (remaining.length === 0) return resolve();
      // Each worker closes its router (runService) and exits; the stragglers are killed.
      const killer = setTimeout(() => {
        for (const worker of live()) worker.process.kill('SIGKILL');
      }, shutdownTimeoutMs);
      cluster.on('exit', () => {
        if (live().length > 0) return;
        clearTimeout(killer);
        resolve();
      });
      for (const worker of remaining) worker.process.kill('SIGTERM');
    });
    return stopping;
  }

  return {
    logger,
    async listen() {
      cluster.on('online', () => running.set(live().length));
      cluster.on('exit', onExit);
      cluster.on('message', onMessage);
      // A new supergraph or trusted documents' manifest: each worker loads it (main.ts).
      process.on('SIGHUP', () => {
        for (const worker of live()) worker.process.kill('SIGHUP');
      });
      for (let i = 0; i < workers; i += 1) cluster.fork();
      logger.info({ workers }, 'router primary started its workers');
    },
    close,
  };
}

/** In a worker: sends its registry to the primary when asked, and `collect` asks the primary
 * for the whole cluster's metrics (what /metrics answers). */
export function clusterWorkerMetrics(registry: Registry, timeoutMs = 10_000) {
  const send = (message: Message) => process.send?.(message);
  const waiting = new Map<
    number,
    (message: Message & { type: 'router:cluster-metrics-result' }) => void
  >();
  process.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === 'router:snapshot') {
      registry.getMetricsAsJSON().then(
        (metrics) => send({ type: 'router:snapshot-result', id: message.id, metrics }),
        (error: unknown) =>
          send({ type: 'router:snapshot-result', id: message.id, error: (error as Error).message }),
      );
    } else if (message.type === 'router:cluster-metrics-result') {
      waiting.get(message.id)?.(message);
    }
  });
  send({ type: 'router:metrics-ready' });

  let nextId = 0;
  const collect = () =>
    new Promise<string>((resolve, reject) => {
      const id = (nextId += 1);
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the primary did not send the metrics in time'));
      }, timeoutMs);
      waiting.set(id, ({ text, error }) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (text === undefined) reject(new Error(error ?? 'no metrics'));
        else resolve(text);
      });
      send({ type: 'router:cluster-metrics', id });
    });
  return { collect };
}
