// Post-processing of an executed operation's result that the gateway's executor leaves
// undone: client aliases added for planning are taken back (plan-corrections.ts), and a null
// in a non-null position reports its error in `errors` as the GraphQL spec requires.
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { ErrorCode } from '@supergraph/kit';
import { CLIENT_ALIAS_PREFIX } from './plan-corrections.js';

/** A subgraph's answer broke the schema's promise of a non-null value. */
const NON_NULL_VIOLATION_CODE: ErrorCode = 'RESPONSE_VALIDATION_FAILED';

type Result =
  | ExecutionResult
  | { data?: unknown; errors?: readonly unknown[]; extensions?: Record<string, unknown> };

const restoreKey = (key: string) =>
  key.startsWith(CLIENT_ALIAS_PREFIX) ? key.slice(CLIENT_ALIAS_PREFIX.length) : key;

function restoreValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(restoreValue);
  if (value === null || typeof value !== 'object') return value;
  const restored: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) restored[restoreKey(key)] = restoreValue(inner);
  return restored;
}

const restorePath = (path: readonly (string | number)[] | undefined) =>
  path?.map((segment) => (typeof segment === 'string' ? restoreKey(segment) : segment));

function restoreError(error: unknown): unknown {
  if (error instanceof GraphQLError) {
    if (!error.path?.some((s) => typeof s === 'string' && s.startsWith(CLIENT_ALIAS_PREFIX)))
      return error;
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: restorePath(error.path),
      originalError: error.originalError,
      extensions: error.extensions,
    });
  }
  const formatted = error as GraphQLFormattedError;
  return formatted?.path ? { ...formatted, path: restorePath(formatted.path) } : error;
}

/**
 * Completes a result of the operation as the client sent it:
 * - keys aliased `_fc_<name>` while planning (prepareOperation) are named `<name>` again, in the
 *   data and in error paths;
 * - errors of value completion (a null where the schema promises a non-null value, which the
 *   gateway has already propagated to the nearest nullable parent, or to `data: null`) go to
 *   `errors`, with their path and the code RESPONSE_VALIDATION_FAILED, instead of
 *   `extensions.valueCompletion` where no client looks.
 * Pure: returns a new result and leaves its input alone.
 */
export function completeResult<T extends Result>(result: T, { aliased = true } = {}): T {
  const extensions = result.extensions as Record<string, unknown> | undefined;
  const valueCompletion = extensions?.['valueCompletion'] as readonly GraphQLError[] | undefined;
  let completed: Result = result;
  if (valueCompletion?.length) {
    const { valueCompletion: _moved, ...otherExtensions } = extensions!;
    completed = {
      ...completed,
      data: completed.data ?? null,
      errors: [
        ...(completed.errors ?? []),
        ...valueCompletion.map(
          (error) =>
            new GraphQLError(error.message, {
              path: error.path,
              extensions: { code: NON_NULL_VIOLATION_CODE },
            }),
        ),
      ],
      extensions: Object.keys(otherExtensions).length ? otherExtensions : undefined,
    };
    if (!completed.extensions) delete (completed as { extensions?: unknown }).extensions;
  }
  if (!aliased) return completed as T;
  return {
    ...completed,
    ...(completed.data === undefined ? {} : { data: restoreValue(completed.data) }),
    ...(completed.errors ? { errors: completed.errors.map(restoreError) } : {}),
  } as T;
}
