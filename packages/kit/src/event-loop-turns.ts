// Execution gives the event loop a turn now and then. A nested list answered from DataLoader
// caches runs on promise jobs alone, which never let the loop turn: no timer fires and no
// disconnect is noticed until the whole execution is done or the heap is full. Resolvers that
// find the current turn long wait for the next one, and are dropped if their caller has gone.
import { performance } from 'node:perf_hooks';
import { currentSignal } from './cancellation.js';

/** How long resolvers may hold the event loop before they let it take a turn. */
export const DEFAULT_EXECUTION_SLICE_MS = 50;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

// The event loop's current turn, as the resolvers see it: marked by the first resolver of a
// turn; an immediate unmarks it when the loop gets to its check phase, i.e. when the turn ended.
let turnStartedAt = 0;
let turnMarked = false;
let nextTurn: Promise<void> | undefined;

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

/** One promise for all the resolvers waiting for the next turn. */
function awaitNextTurn(): Promise<void> {
  return (nextTurn ??= new Promise<void>((resolve) =>
    setImmediate(() => {
      nextTurn = undefined;
      resolve();
    }),
  ));
}

type Resolver = (this: unknown, ...args: unknown[]) => unknown;

/** Resolves with `value` once the event loop has had a turn, if this one is long already.
 * Waits again while the new turn is long as well: everything put off at once must not run in
 * one turn (each resolver may fan out to hundreds more). */
async function onAShortTurn<T>(value: T, sliceMs: number): Promise<T> {
  do {
    await awaitNextTurn();
    if (currentSignal()?.aborted) return dropped();
  } while (turnIsLong(sliceMs));
  return value;
}

/** What a resolver waiting for its turn becomes once its caller has gone: a promise that never
 * settles, referenced by nothing but the execution it belonged to, so all of it is garbage. The
 * execution's own result is settled once by useRequestSignal; failing each waiting resolver
 * instead would locate an error for every one of them (hundreds of thousands on a nested
 * list). */
const dropped = () => new Promise<never>(() => {});

/** Yields before the resolver runs and again before its asynchronous answer is used: a
 * DataLoader answers a whole batch at once, and completing each answer is work too. */
function yielding(resolve: Resolver, sliceMs: number): Resolver {
  const settle = (value: unknown) => (turnIsLong(sliceMs) ? onAShortTurn(value, sliceMs) : value);
  const run = (self: unknown, args: unknown[]) => {
    const result = resolve.apply(self, args);
    return isThenable(result) ? result.then(settle) : result;
  };
  return function (this: unknown, ...args: unknown[]) {
    if (!turnIsLong(sliceMs)) return run(this, args);
    return onAShortTurn(undefined, sliceMs).then(() => run(this, args));
  };
}

const NOT_FIELDS = new Set(['__resolveType', '__isTypeOf']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * The resolver map with every field resolver (and `__resolveReference`) wrapped: once
 * resolvers have held the event loop for `sliceMs`, the next one waits for the loop's next
 * turn and, if the caller has gone meanwhile, never runs. Scalars and enum maps are left as
 * they are.
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
        type[name] = yielding(field as Resolver, sliceMs);
      } else if (isPlainObject(field) && typeof field['resolve'] === 'function') {
        type[name] = { ...field, resolve: yielding(field['resolve'] as Resolver, sliceMs) };
      } else {
        type[name] = field;
      }
    }
    wrapped[typeName] = type;
  }
  return wrapped as T;
}
