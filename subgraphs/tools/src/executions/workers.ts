// The workers of one tools replica: they claim queued executions from PostgreSQL (woken by the
// pubsub, or by polling when a message was lost), run each under a lease they renew, record
// how it ended, and publish every change. Any replica reaps leases that ran out, so a dead
// replica's work is retried (idempotent tools) or failed with the reason.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database, Logger, PubSubHandle } from '@supergraph/kit';
import {
  claimExecutions,
  finishExecution,
  queuedCount,
  reapExpiredLeases,
  releaseExecutions,
  renewLeases,
  type QueueLimits,
  type RunningState,
} from '../db/executions.js';
import type { ExecutionLogValue, ExecutionRow, tables } from '../db/schema.js';
import { toolById } from '../db/tools.js';
import type { ToolsEvents } from './events.js';
import type { ToolMetrics } from './metrics.js';
import type { ToolRunner } from './runner.js';

export interface WorkerSettings extends QueueLimits {
  /** Executions this replica runs at once. */
  workers: number;
  pollMs: number;
}

const MAX_LOG_LINES = 500;
const MAX_LOG_CHARS = 4_096;

interface Running extends RunningState {
  controller: AbortController;
  done: Promise<void>;
}

export class ExecutionWorkers {
  /** This replica's name on the leases it holds. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, Running>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly ends: (() => void)[] = [];
  private filling: Promise<void> | undefined;
  private refill = false;
  private closed = false;

  constructor(
    private readonly db: Database<typeof tables>,
    private readonly events: PubSubHandle<ToolsEvents>['pubsub'],
    private readonly run: ToolRunner,
    private readonly settings: WorkerSettings,
    private readonly logger: Logger,
    private readonly metrics: ToolMetrics,
  ) {}

  start(): void {
    this.listen(this.events.subscribe('tools:work'), () => this.fill());
    this.listen(this.events.subscribe('tools:cancel'), ({ id }) =>
      this.running.get(id)?.controller.abort(new Error('cancelled')),
    );
    const every = (ms: number, task: () => Promise<unknown>) => {
      const timer = setInterval(() => {
        task().catch((error) => this.logger.warn({ err: error }, 'tools queue upkeep failed'));
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.settings.pollMs, () => this.fill());
    every(Math.max(100, Math.floor(this.settings.leaseMs / 3)), () => this.renew());
    every(Math.max(100, Math.floor(this.settings.leaseMs / 2)), () => this.reap());
    void this.fill();
  }

  /** Executions running on this replica now. */
  get busy(): number {
    return this.running.size;
  }

  /** Stops taking work, stops what runs, and gives it back to the queue. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const end of this.ends) end();
    const ids = [...this.running.keys()];
    for (const run of this.running.values()) run.controller.abort(new Error('worker stopping'));
    await Promise.allSettled([...this.running.values()].map((run) => run.done));
    const released = await releaseExecutions(this.db, this.owner, ids).catch(() => []);
    for (const row of released) this.publishStatus(row);
  }

  private listen<T>(updates: AsyncIterable<T>, handle: (payload: T) => unknown) {
    const iterator = updates[Symbol.asyncIterator]();
    this.ends.push(() => void iterator.return?.());
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        handle(next.value);
      }
    })();
  }

  /** Claims as much work as this replica has room for; one claim at a time. */
  private fill(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.filling) {
      this.refill = true;
      return this.filling;
    }
    // Cleared in a callback, never in the claiming function itself: that may finish before
    // its promise is stored here, which would leave the replica thinking it claims forever.
    const filling = this.claimWhileRoom().finally(() => {
      if (this.filling === filling) this.filling = undefined;
    });
    this.filling = filling;
    return filling;
  }

  private async claimWhileRoom(): Promise<void> {
    try {
      do {
        this.refill = false;
        const free = this.settings.workers - this.running.size;
        if (free <= 0) return;
        const claimed = await claimExecutions(this.db, this.owner, free, this.settings);
        for (const row of claimed) this.start1(row);
        if (claimed.length === free) this.refill = true;
      } while (this.refill && !this.closed);
    } catch (error) {
      this.logger.warn({ err: error }, 'claiming tool executions failed');
    }
  }

  private start1(row: ExecutionRow): void {
    const controller = new AbortController();
    const entry: Running = {
      controller,
      logs: [],
      logsTruncated: false,
      progress: null,
      done: Promise.resolve(),
    };
    this.running.set(row.id, entry);
    this.metrics.running.set(this.running.size);
    this.publishStatus(row);
    entry.done = this.execute(row, entry)
      .catch((error) => this.logger.error({ err: error, executionId: row.id }, 'execution failed'))
      .finally(() => {
        this.running.delete(row.id);
        this.metrics.running.set(this.running.size);
        void this.fill();
      });
  }

  private async execute(row: ExecutionRow, entry: Running): Promise<void> {
    const started = performance.now();
    const tool = row.toolId ? await toolById(this.db, row.toolId) : undefined;
    const outcome =
      !tool || !tool.enabled
        ? {
            status: 'failed' as const,
            errorCode: 'TOOL_ERROR',
            errorMessage: `The tool ${row.toolName} was deleted or disabled before it ran.`,
          }
        : await this.run(tool, row.arguments, {
            signal: entry.controller.signal,
            timeoutMs: row.timeoutMs,
            onLog: (log) => this.log(row.id, entry, log),
            onProgress: (progress) => {
              entry.progress = progress;
              void this.events.publish('tools:execution', row.id, {
                kind: 'PROGRESS',
                status: 'running',
                progress,
              });
            },
          });
    if (this.closed && outcome.status === 'cancelled') return; // given back by close()
    const finished = await finishExecution(this.db, row.id, this.owner, {
      ...outcome,
      logs: entry.logs,
      logsTruncated: entry.logsTruncated,
      progress: entry.progress,
      durationMs: performance.now() - started,
    });
    const kind = tool?.kind ?? 'unknown';
    this.metrics.finished.inc({ kind, status: outcome.status });
    this.metrics.duration.observe({ kind }, (performance.now() - started) / 1_000);
    if (finished) this.publishStatus(finished);
    else this.logger.warn({ executionId: row.id }, 'execution finished after its lease was lost');
  }

  private log(id: string, entry: Running, log: ExecutionLogValue) {
    if (entry.logs.length >= MAX_LOG_LINES) {
      entry.logsTruncated = true;
      return;
    }
    const line = { ...log, message: log.message.slice(0, MAX_LOG_CHARS) };
    entry.logs.push(line);
    void this.events.publish('tools:execution', id, { kind: 'LOG', status: 'running', log: line });
  }

  private async renew(): Promise<void> {
    if (this.running.size === 0) return;
    const held = await renewLeases(this.db, this.owner, this.running, this.settings.leaseMs);
    for (const [id, run] of this.running) {
      const lease = held.get(id);
      // Lost (reaped) or asked to stop while the pubsub message went missing.
      if (!lease || lease.cancelRequested) run.controller.abort(new Error('cancelled'));
    }
  }

  private async reap(): Promise<void> {
    this.metrics.queued.set(await queuedCount(this.db));
    const reaped = await reapExpiredLeases(this.db);
    for (const row of reaped) {
      this.logger.warn(
        { executionId: row.id, status: row.status, attempts: row.attempts },
        'took back an execution whose lease ran out',
      );
      this.publishStatus(row);
    }
    if (reaped.some((row) => row.status === 'queued')) this.wake();
  }

  private publishStatus(row: ExecutionRow) {
    void this.events.publish('tools:execution', row.id, { kind: 'STATUS', status: row.status });
  }

  /** Tells every replica's workers that there is work. */
  wake(): void {
    void this.events.publish('tools:work', { at: Date.now() });
  }
}
