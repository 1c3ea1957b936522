// Execution gives the event loop a turn now and then. A nested list answered from DataLoader
// caches runs on promise jobs alone, which never let the loop turn: no timer fires and no
// disconnect is noticed until the whole execution is done or the heap is full. So the answers
// of asynchronous resolvers reach the executor through one queue, one at a time, and only while
// the current turn is short; a resolver called when the turn is long waits in the same queue.
// What waits for a caller that has gone is dropped. Hand-written: no library meters GraphQL
// execution against the event loop.
import { performance } from 'node:perf_hooks';
import { currentSignal } from './cancellation.js';

/** How long resolvers may hold the event loop before they let it take a turn. */
export const DEFAULT_EXECUTION_SLICE_MS = 50;
/** Promise jobs given to an admitted answer before the next is admitted: enough for the
 * executor to complete it (a list's items and their fields) first. */
const ADMISSION_HOPS = 4;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

// The event loop's current turn, as the resolvers see it: marked by the first look at it in a
// turn; an immediate unmarks it when the loop reaches its check phase, i.e. the turn ended.
let turnStartedAt = 0;
let turnMarked = false;

function turnIsLong(sliceMs: number): boolean {
  const now = performance.now();
  if (!turnMarked) {
    turnMarked = true;
    turnStartedAt = now;
    setImmediate(() => {
      turnMarked = false;
    });
    return false;
  }
  return now - turnStartedAt >= sliceMs;
}

interface Waiter {
  admit: () => void;
  signal: AbortSignal | undefined;
  sliceMs: number;
}

const waiting: Waiter[] = [];
let pumping = false;

/**
 * Admits waiters in order, each given its promise jobs before the next, as long as the turn
 * is short; the rest wait for the next turn, after timers and I/O (a disconnect among them).
 * A waiter whose caller has gone is dropped: its promise never settles, and what only it
 * referenced (the rest of that execution) is garbage.
 */
async function pump(): Promise<void> {
  while (waiting.length > 0) {
    if (turnIsLong(waiting[0]!.sliceMs)) {
      setImmediate(pump);
      return;
    }
    const waiter = waiting.shift()!;
    if (waiter.signal?.aborted) continue;
    waiter.admit();
    for (let hop = 0; hop < ADMISSION_HOPS; hop += 1) await undefined;
  }
  pumping = false;
}

function enqueue(waiter: Waiter): void {
  waiting.push(waiter);
  if (!pumping) {
    pumping = true;
    setImmediate(pump);
  }
}

/** A resolver's answer, handed on when the queue admits it (errors at once). */
function admitted<T>(answer: PromiseLike<T>, signal: AbortSignal | undefined, sliceMs: number) {
  return new Promise<T>((resolve, reject) => {
    answer.then((value) => enqueue({ admit: () => resolve(value), signal, sliceMs }), reject);
  });
}

type Resolver = (this: unknown, ...args: unknown[]) => unknown;

function metered(resolve: Resolver, sliceMs: number): Resolver {
  return function (this: unknown, ...args: unknown[]) {
    const signal = currentSignal();
    const run = () => {
      const answer = resolve.apply(this, args);
      return isThenable(answer) ? admitted(answer, signal, sliceMs) : answer;
    };
    if (!turnIsLong(sliceMs)) return run();
    return new Promise<void>((admit) => enqueue({ admit, signal, sliceMs })).then(run);
  };
}

const NOT_FIELDS = new Set(['__resolveType', '__isTypeOf']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * The resolver map with every field resolver (and `__resolveReference`) metered: called when
 * the turn is long, it waits for the queue; its asynchronous answer goes through the queue.
 * Scalars and enum maps are left as they are.
 */
export function withEventLoopTurns<T extends object>(
  resolvers: T,
  sliceMs = DEFAULT_EXECUTION_SLICE_MS,
): T {
  const wrapped: Record<string, unknown> = {};
  for (const [typeName, fields] of Object.entries(resolvers)) {
    if (!isPlainObject(fields)) {
      wrapped[typeName] = fields;
      continue;
    }
    const type: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(fields)) {
      if (typeof field === 'function' && !NOT_FIELDS.has(name)) {
        type[name] = metered(field as Resolver, sliceMs);
      } else if (isPlainObject(field) && typeof field['resolve'] === 'function') {
        type[name] = { ...field, resolve: metered(field['resolve'] as Resolver, sliceMs) };
      } else {
        type[name] = field;
      }
    }
    wrapped[typeName] = type;
  }
  return wrapped as T;
}
