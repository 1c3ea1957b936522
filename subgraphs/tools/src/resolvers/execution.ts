// Execution and ExecutionEvent: stored values in the API's shapes (statuses in capitals).
import type { ExecutionProgressValue, ExecutionRow } from '../db/schema.js';
import type {
  ExecutionEventResolvers,
  ExecutionResolvers,
  ExecutionStatus,
} from '../generated/resolvers-types.js';
import { maySee } from '../executions/service.js';
import { requireScope } from '@supergraph/kit';
import { EXECUTE_SCOPE } from '../inputs.js';

export const statusOf = (status: string) => status.toUpperCase() as ExecutionStatus;

const progressOf = (value: ExecutionProgressValue) => ({
  progress: value.progress,
  total: value.total ?? null,
  message: value.message ?? null,
});

export const Execution: ExecutionResolvers = {
  progress: (row) => (row.progress ? progressOf(row.progress) : null),
  async __resolveReference({ id }, context) {
    const identity = requireScope(context, EXECUTE_SCOPE);
    const row = await context.executionRows.load(id);
    return row && maySee(identity, row) ? row : null;
  },
  tool: (row, _args, context) => (row.toolId ? context.tools.load(row.toolId) : null),
  status: (row) => statusOf(row.status),
  error: (row: ExecutionRow) =>
    row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? row.errorCode } : null,
  requestedBy: (row) => ({ __typename: 'User', id: row.userId }),
  startedAt: (row) => row.startedAt,
};

export const ExecutionEvent: ExecutionEventResolvers = {
  status: (event) => statusOf(event.status),
  execution: (event) => event.execution ?? null,
  log: (event) => (event.kind === 'LOG' ? event.log : null),
  progress: (event) => (event.kind === 'PROGRESS' ? progressOf(event.progress) : null),
};
