// Executions as the API sees them: checked arguments, a queued record (or the one an
// idempotency key names), optional waiting for the end, cancellation, and the live stream of
// an execution's changes. GraphQL resolvers and the /mcp endpoint both go through here.
import { Repeater } from '@repeaterjs/repeater';
import { isDeepStrictEqual } from 'node:util';
import {
  badInput,
  codedError,
  hasScope,
  type Database,
  type Identity,
  type PubSubHandle,
} from '@supergraph/kit';
import {
  enqueueExecution,
  executionById,
  isTerminal,
  requestCancel,
  type QueueLimits,
} from '../db/executions.js';
import type { ExecutionRow, tables, ToolRow } from '../db/schema.js';
import { ADMIN_SCOPE } from '../inputs.js';
import { schemaProblems } from '../registry/json-schema.js';
import type { ExecutionEventModel, ToolsEvents } from './events.js';

/** When a stream first re-reads its execution; later re-reads come less often. */
const FIRST_RECHECK_MS = 50;
/** The longest executeTool waits for the end before it answers. */
export const MAX_WAIT_MS = 30_000;

export type StreamEvent = ExecutionEventModel & { execution?: ExecutionRow };

export interface ExecutionServiceSettings extends Pick<
  QueueLimits,
  'maxQueued' | 'maxQueuedPerUser'
> {
  maxAttempts: number;
  defaultTimeoutMs: number;
  /** How often a stream re-reads its execution, in case a pubsub message was lost. */
  pollMs: number;
}

export interface ExecuteOptions {
  idempotencyKey?: string | null;
  waitMs?: number | null;
  signal?: AbortSignal;
}

export class ExecutionService {
  constructor(
    private readonly db: Database<typeof tables>,
    private readonly events: PubSubHandle<ToolsEvents>['pubsub'],
    private readonly settings: ExecutionServiceSettings,
  ) {}

  /** Queues a run of `tool` (enabled, not CLIENT) by `identity`, or returns the one its key names. */
  async execute(
    identity: Identity,
    tool: ToolRow,
    args: unknown,
    options: ExecuteOptions = {},
  ): Promise<ExecutionRow> {
    if (tool.kind === 'client') {
      throw badInput(
        `${tool.name} is a CLIENT tool: it is described for models, and its caller runs it.`,
        'input.toolId',
      );
    }
    const problems = schemaProblems(
      `${tool.id}:input:${tool.updatedAt.getTime()}`,
      tool.inputSchema,
      args,
    );
    if (problems.length > 0) {
      throw codedError(
        'BAD_USER_INPUT',
        `The arguments do not match the input schema of ${tool.name}: ${problems
          .map((problem) => `${problem.pointer || '(the arguments)'} ${problem.message}`)
          .join('; ')}.`,
        { extensions: { field: 'input.arguments', problems } },
      );
    }
    const result = await enqueueExecution(
      this.db,
      {
        toolId: tool.id,
        toolName: tool.name,
        toolVersion: tool.version,
        userId: identity.userId,
        idempotencyKey: options.idempotencyKey ?? null,
        arguments: args as object,
        retryable: tool.annotations.idempotentHint,
        maxAttempts: tool.annotations.idempotentHint ? this.settings.maxAttempts : 1,
        timeoutMs: tool.timeoutMs ?? this.settings.defaultTimeoutMs,
      },
      this.settings,
    );
    if (result.kind === 'overloaded') {
      throw codedError(
        'OVERLOADED',
        result.scope === 'user'
          ? `You have ${this.settings.maxQueuedPerUser} executions waiting already; retry when some have run.`
          : 'The tool queue is full; retry later.',
      );
    }
    const { row } = result;
    if (
      result.kind === 'existing' &&
      (row.toolId !== tool.id || !isDeepStrictEqual(row.arguments, args))
    ) {
      throw codedError(
        'CONFLICT',
        'This idempotency key was used for another tool or other arguments; use a new key for a new request.',
        { extensions: { field: 'input.idempotencyKey', executionId: row.id } },
      );
    }
    if (result.kind === 'created') void this.events.publish('tools:work', { at: Date.now() });
    const waitMs = Math.min(options.waitMs ?? 0, MAX_WAIT_MS);
    if (waitMs > 0 && !isTerminal(row.status)) return this.waitFor(row.id, waitMs, options.signal);
    return row;
  }

  /** The execution if `identity` may see it (its own, or any with tools:admin). */
  async visible(identity: Identity, id: string): Promise<ExecutionRow | undefined> {
    const row = await executionById(this.db, id);
    return row && maySee(identity, row) ? row : undefined;
  }

  /** Stops an unfinished execution; a finished one comes back as it is. */
  async cancel(row: ExecutionRow): Promise<ExecutionRow> {
    const changed = await requestCancel(this.db, row.id);
    if (!changed) return (await executionById(this.db, row.id)) ?? row;
    if (changed.status === 'cancelled') {
      void this.events.publish('tools:execution', row.id, {
        kind: 'STATUS',
        status: 'cancelled',
      });
    } else {
      void this.events.publish('tools:cancel', { id: row.id });
    }
    return changed;
  }

  /** The execution once it has finished, or as it is after `ms`. */
  async waitFor(id: string, ms: number, signal?: AbortSignal): Promise<ExecutionRow> {
    const stream = this.stream(id);
    const timer = setTimeout(() => void stream.return(), ms);
    const stop = () => void stream.return();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const event of stream) {
        if (event.execution && isTerminal(event.execution.status)) return event.execution;
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
    }
    return (await executionById(this.db, id))!;
  }

  /**
   * An execution's changes: first its current state, then live log lines, progress and status
   * changes (each status with the execution as stored), ending after the final status.
   */
  stream(id: string): AsyncGenerator<StreamEvent> & Repeater<StreamEvent> {
    const { db, events, settings } = this;
    return new Repeater<StreamEvent>(async (push, stop) => {
      // Subscribed before the first read, so that nothing falls between the two.
      const live = events.subscribe('tools:execution', id)[Symbol.asyncIterator]();
      let ended = false;
      let last: ExecutionRow['status'] | undefined;
      const status = async (onlyIfChanged = false) => {
        const row = await executionById(db, id);
        if (!row || ended || (onlyIfChanged && row.status === last)) return;
        last = row.status;
        await push({ kind: 'STATUS', status: row.status, execution: row });
        if (isTerminal(row.status)) {
          ended = true;
          stop();
        }
      };
      // A status change may be a lost pubsub message, or one published before this replica's
      // subscription took hold (a Redis SUBSCRIBE is a round trip): the row says it too. It is
      // read again soon, then less and less often.
      let delay = FIRST_RECHECK_MS;
      let recheck: NodeJS.Timeout | undefined;
      let stopped = false;
      const schedule = () => {
        if (stopped) return;
        recheck = setTimeout(() => {
          status(true).then(schedule, stop);
        }, delay);
        recheck.unref();
        delay = Math.min(delay * 2, settings.pollMs * 2);
      };
      void stop.then(() => {
        stopped = true;
        clearTimeout(recheck);
        void live.return?.();
      });
      schedule();
      await status();
      while (!ended) {
        const next = await Promise.race([live.next(), stop.then(() => undefined)]);
        if (!next || next.done) break;
        const event = next.value as ExecutionEventModel;
        if (event.kind === 'STATUS') await status();
        else await push(event);
      }
      stop();
    }) as AsyncGenerator<StreamEvent> & Repeater<StreamEvent>;
  }
}

/** Whether `identity` may see an execution: its own, or any with tools:admin. */
export function maySee(identity: Identity, row: ExecutionRow): boolean {
  return row.userId === identity.userId || hasScope(identity, ADMIN_SCOPE);
}
