// An admission queue: at most `concurrency` tasks run at once and at most `maxQueue` wait, in
// fifo, lifo or priority order; one that waits past `queueTimeoutMs`, or whose caller goes
// away, leaves the queue. The waiting line is async's queue (push: fifo, unshift: lifo) or
// priorityQueue (a stable heap), which can also remove a waiting task.
import { priorityQueue, queue, type ErrorCallback } from 'async';

export type QueueOrder = 'fifo' | 'lifo' | 'priority';
export type ShedReason = 'queue_full' | 'queue_timeout' | 'client_gone';

export const SHED_REASONS: readonly ShedReason[] = ['queue_full', 'queue_timeout', 'client_gone'];

export class AdmissionRefused extends Error {
  override name = 'AdmissionRefused';
  constructor(readonly reason: ShedReason) {
    super(`not admitted: ${reason}`);
  }
}

export interface AdmissionStats {
  inFlight: number;
  queued: number;
  /** High-water marks since the queue was created. */
  maxInFlight: number;
  maxQueued: number;
  admitted: number;
  shed: Record<ShedReason, number>;
}

export interface AdmissionQueueOptions {
  concurrency: number;
  maxQueue: number;
  queueTimeoutMs: number;
  order?: QueueOrder;
  /** Called after every change of the numbers (metrics). */
  onChange?: (stats: AdmissionStats) => void;
}

export interface RunOptions {
  /** Higher goes first; only with order `priority`. */
  priority?: number;
  /** The caller's signal: aborting it takes its task out of the queue. */
  signal?: AbortSignal | undefined;
}

export interface AdmissionQueue {
  /** Runs `work` once admitted; rejects with AdmissionRefused when it is not. */
  run<T>(work: () => Promise<T>, options?: RunOptions): Promise<T>;
  stats(): AdmissionStats;
}

interface Waiting {
  admit(done: () => void): void;
}

const ignore = () => {};

export function createAdmissionQueue({
  concurrency,
  maxQueue,
  queueTimeoutMs,
  order = 'fifo',
  onChange = ignore,
}: AdmissionQueueOptions): AdmissionQueue {
  const worker = (waiting: Waiting, done: ErrorCallback) => waiting.admit(() => done());
  const byPriority = order === 'priority' ? priorityQueue(worker, concurrency) : undefined;
  const inOrder = byPriority ? undefined : queue(worker, concurrency);
  const tasks = (byPriority ?? inOrder)!;
  const enqueue = (waiting: Waiting, priority: number) => {
    // async's priorityQueue runs the lowest number first.
    if (byPriority) byPriority.push(waiting, -priority, ignore);
    else if (order === 'lifo') inOrder!.unshift(waiting, ignore);
    else inOrder!.push(waiting, ignore);
    // async starts tasks on the next turn of the event loop; starting them now keeps the
    // number waiting exact (a task that finds a free slot never counts as queued).
    (tasks as unknown as { process(): void }).process();
  };

  const numbers: AdmissionStats = {
    inFlight: 0,
    queued: 0,
    maxInFlight: 0,
    maxQueued: 0,
    admitted: 0,
    shed: { queue_full: 0, queue_timeout: 0, client_gone: 0 },
  };
  const stats = (): AdmissionStats => ({ ...numbers, shed: { ...numbers.shed } });
  const changed = () => {
    numbers.inFlight = tasks.running();
    numbers.queued = tasks.length();
    numbers.maxInFlight = Math.max(numbers.maxInFlight, numbers.inFlight);
    numbers.maxQueued = Math.max(numbers.maxQueued, numbers.queued);
    onChange(stats());
  };
  const refuse = (reason: ShedReason) => {
    numbers.shed[reason] += 1;
    changed();
    return new AdmissionRefused(reason);
  };

  return {
    stats,
    run<T>(work: () => Promise<T>, { priority = 0, signal }: RunOptions = {}) {
      if (signal?.aborted) return Promise.reject(refuse('client_gone'));
      if (tasks.running() + tasks.length() >= concurrency + maxQueue) {
        return Promise.reject(refuse('queue_full'));
      }
      return new Promise<T>((resolve, reject) => {
        let state: 'waiting' | 'admitted' | 'gone' = 'waiting';
        const leave = (reason: ShedReason) => {
          if (state !== 'waiting') return;
          state = 'gone';
          clearTimeout(timer);
          tasks.remove((node) => node.data === waiting);
          reject(refuse(reason));
        };
        const onAbort = () => leave('client_gone');
        const timer = setTimeout(() => leave('queue_timeout'), queueTimeoutMs);
        const waiting: Waiting = {
          admit(done) {
            state = 'admitted';
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            numbers.admitted += 1;
            changed();
            Promise.resolve()
              .then(work)
              .then(resolve, reject)
              .finally(() => {
                done();
                changed();
              });
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        enqueue(waiting, priority);
        changed();
      });
    },
  };
}
