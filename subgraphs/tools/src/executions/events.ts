// What the tools subgraph publishes on the kit's pubsub (in process, or Redis across
// replicas): work to claim, cancellations for the replica that runs an execution, and the
// live events of each execution. Pubsub is at most once: workers also poll, and streams also
// re-read the row, so a lost message delays but never loses anything.
import type {
  ExecutionLogValue,
  ExecutionProgressValue,
  ExecutionStatusValue,
} from '../db/schema.js';

export type ExecutionEventModel =
  | { kind: 'STATUS'; status: ExecutionStatusValue }
  | { kind: 'LOG'; status: ExecutionStatusValue; log: ExecutionLogValue }
  | { kind: 'PROGRESS'; status: ExecutionStatusValue; progress: ExecutionProgressValue };

export type ToolsEvents = {
  /** Something was queued: idle workers look for work. */
  'tools:work': [{ at: number }];
  /** Someone asked to stop a running execution: the replica that runs it stops it. */
  'tools:cancel': [{ id: string }];
  /** An execution's changes, by execution id. */
  'tools:execution': [string, ExecutionEventModel];
};
