// Post-processing of an executed operation's result: client aliases added for planning are
// taken back (plan-corrections.ts), and a null in a non-null position reports its error in
// `errors` as the GraphQL spec requires: moved there from where the gateway's executor leaves
// it (completeResult), or found while shaping merged data (completeData, for an executor of
// our own).
import {
  GraphQLError,
  GraphQLObjectType,
  Kind,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  valueFromASTUntyped,
  type DirectiveNode,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLFormattedError,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
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

export interface DataCompletion {
  /** The API schema the operation was validated against. */
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  /** The data merged from all fetches, keyed by response names, possibly with extra keys. */
  data: Record<string, unknown> | null | undefined;
  /** Errors already known (from subgraphs); a null at their path adds no second error. */
  errors?: readonly GraphQLError[];
}

/** Signals, while completing, that a non-null position holds null: its parent becomes null. */
const INVALID = Symbol('invalid');

/**
 * Shapes merged data to the operation as the GraphQL spec's value completion does, for an
 * executor that merges subgraph answers itself: only the fields the operation selects, in its
 * order, with fragments applied by `__typename` and @skip/@include by the variables. A null
 * where the schema promises a non-null value adds an error with its path (unless an error
 * already sits at or under that path) and makes the nearest nullable parent null, or the whole
 * `data` when it reaches the root.
 */
export function completeData({
  schema,
  document,
  operationName,
  variables,
  data,
  errors = [],
}: DataCompletion): { data: Record<string, unknown> | null; errors: GraphQLError[] } {
  const operation = getOperationAST(document, operationName);
  const added: GraphQLError[] = [];
  const all = [...errors];
  if (!operation || data == null) return { data: null, errors: all };
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const known = (path: readonly (string | number)[]) =>
    all.some((error) => path.every((segment, i) => error.path?.[i] === segment));
  const included = (directives: readonly DirectiveNode[] | undefined) =>
    (directives ?? []).every((directive) => {
      if (directive.name.value !== 'skip' && directive.name.value !== 'include') return true;
      const condition = directive.arguments?.find((arg) => arg.name.value === 'if');
      const value = condition ? valueFromASTUntyped(condition.value, variables ?? {}) : false;
      return directive.name.value === 'skip' ? !value : Boolean(value);
    });
  const applies = (condition: string | undefined, type: GraphQLObjectType) => {
    if (!condition || condition === type.name) return true;
    const conditionType = schema.getType(condition);
    return (
      !!conditionType && isAbstractType(conditionType) && schema.isSubType(conditionType, type)
    );
  };
  const collect = (
    type: GraphQLObjectType,
    selectionSet: SelectionSetNode,
    into: Map<string, FieldNode[]>,
  ) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection.directives)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = (selection.alias ?? selection.name).value;
        into.set(key, [...(into.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value, type))
          collect(type, selection.selectionSet, into);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && applies(fragment.typeCondition.name.value, type))
          collect(type, fragment.selectionSet, into);
      }
    }
    return into;
  };
  const violation = (coordinate: string, path: (string | number)[]) => {
    if (known(path)) return;
    const error = new GraphQLError(`Cannot return null for non-nullable field ${coordinate}.`, {
      path,
      extensions: { code: NON_NULL_VIOLATION_CODE },
    });
    added.push(error);
    all.push(error);
  };
  const completeValue = (
    type: GraphQLOutputType,
    nodes: FieldNode[],
    value: unknown,
    path: (string | number)[],
    coordinate: string,
  ): unknown => {
    const nullable = isNonNullType(type) ? type.ofType : type;
    if (value === null || value === undefined) return isNonNullType(type) ? INVALID : null;
    if (isListType(nullable)) {
      if (!Array.isArray(value)) return isNonNullType(type) ? INVALID : null;
      const items: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        const item = completeValue(nullable.ofType, nodes, value[i], [...path, i], coordinate);
        if (item === INVALID) {
          if (value[i] == null) violation(coordinate, [...path, i]);
          return isNonNullType(type) ? INVALID : null;
        }
        items.push(item);
      }
      return items;
    }
    if (!isCompositeType(nullable)) return value;
    const record = value as Record<string, unknown>;
    const runtime = isAbstractType(nullable)
      ? schema.getType(String(record['__typename']))
      : nullable;
    if (!runtime || !(runtime instanceof GraphQLObjectType))
      return isNonNullType(type) ? INVALID : null;
    const object = completeObject(runtime, nodes, record, path);
    return object === INVALID && !isNonNullType(type) ? null : object;
  };
  const completeObject = (
    type: GraphQLObjectType,
    nodes: FieldNode[],
    record: Record<string, unknown>,
    path: (string | number)[],
  ): Record<string, unknown> | typeof INVALID => {
    const fields = new Map<string, FieldNode[]>();
    for (const node of nodes) if (node.selectionSet) collect(type, node.selectionSet, fields);
    return completeFields(type, fields, record, path);
  };
  const completeFields = (
    type: GraphQLObjectType,
    fields: Map<string, FieldNode[]>,
    record: Record<string, unknown>,
    path: (string | number)[],
  ): Record<string, unknown> | typeof INVALID => {
    const result: Record<string, unknown> = {};
    for (const [key, nodes] of fields) {
      const name = nodes[0]!.name.value;
      if (name === '__typename') {
        result[key] = type.name;
        continue;
      }
      const definition = type.getFields()[name];
      if (!definition) continue;
      const fieldPath = [...path, key];
      const coordinate = `${type.name}.${name}`;
      const value = completeValue(definition.type, nodes, record[key], fieldPath, coordinate);
      if (value === INVALID) {
        if (record[key] == null) violation(coordinate, fieldPath);
        return INVALID;
      }
      result[key] = value;
    }
    return result;
  };
  const root = schema.getRootType(operation.operation);
  if (!root) return { data: null, errors: all };
  const completed = completeFields(
    root,
    collect(root, operation.selectionSet, new Map()),
    data,
    [],
  );
  return { data: completed === INVALID ? null : completed, errors: [...errors, ...added] };
}
