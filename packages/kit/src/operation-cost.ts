// What an operation costs, estimated from its document and variables before anything runs:
// a field costs one plus what it selects times the number of items it returns. The walk over
// the document (fragments, @skip/@include, variables) is graphql-query-complexity's; the
// estimator that knows our list sizes is ours, because none of the library's does.
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isInputObjectType,
  isListType,
  isObjectType,
  isInterfaceType,
  validate,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { createComplexityRule, type ComplexityEstimator } from 'graphql-query-complexity';

/** Arguments that bound how many items a field returns, directly or inside an input object
 * (`searchMemories(input: { topK })`). */
export const LIST_SIZE_ARGUMENTS: readonly string[] = ['first', 'last', 'topK', 'limit'];

/** The federation entry point the router fetches entities through: one item per representation. */
const ENTITIES_FIELD = '_entities';
const REPRESENTATIONS_ARGUMENT = 'representations';

const FIELD_COST = 1;

/** How many selections one estimate may walk, fragments expanded; a document that expands
 * past it is refused as too costly. GraphiQL's introspection query walks about 250, and within
 * the token limit only reused fragments go far past the token count. Walking this many takes
 * about 16 ms of CPU in production mode, what serving one deep federated query takes. */
export const MAX_COST_NODES = 5_000;

export interface CostOptions {
  /** Items assumed for a list field that no argument bounds. */
  defaultListSize: number;
  maxNodes?: number;
}

export interface CostRequest {
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
}

export type CostEstimate =
  /** The operation that would run, and its cost. */
  | { kind: 'estimated'; cost: number }
  /** Its fragments expand past `maxNodes` selections. */
  | { kind: 'too-many-nodes'; maxNodes: number }
  /** No operation would run (no such operation, or its variables are invalid): execution
   * refuses it with its own error before any resolver, so there is nothing to estimate. */
  | { kind: 'not-runnable' };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The largest list-size argument among `args`, if any is given or has a default. */
function sizeArgument(args: Record<string, unknown>): number | undefined {
  let size: number | undefined;
  for (const name of LIST_SIZE_ARGUMENTS) {
    const value = args[name];
    if (typeof value === 'number') size = Math.max(size ?? 0, value);
  }
  return size;
}

/** The size a field's arguments give it: its own list-size arguments, else those of an input
 * object argument. Values are coerced, so variables and schema defaults are already in. */
function sizeFromArguments(args: Record<string, unknown>): number | undefined {
  const own = sizeArgument(args);
  if (own !== undefined) return own;
  for (const value of Object.values(args)) {
    const nested = isRecord(value) ? sizeArgument(value) : undefined;
    if (nested !== undefined) return nested;
  }
  return undefined;
}

function hasSizeArgument(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((arg) => {
    if (LIST_SIZE_ARGUMENTS.includes(arg.name)) return true;
    const type = getNamedType(arg.type);
    return (
      isInputObjectType(type) &&
      Object.keys(type.getFields()).some((name) => LIST_SIZE_ARGUMENTS.includes(name))
    );
  });
}

/** Types that a size-bounded field returns as one object (connections such as
 * `memories(first) { nodes }`): their list fields are already counted by that bound. */
function boundedContainerTypes(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (hasSizeArgument(field) && !isListType(getNullableType(field.type))) {
        names.add(getNamedType(field.type).name);
      }
    }
  }
  return names;
}

const isIntrospection = (type: GraphQLCompositeType, field: GraphQLField<unknown, unknown>) =>
  type.name.startsWith('__') || field.name.startsWith('__');

/** The estimator: own cost plus children times the field's list size. */
export function createListSizeEstimator(
  schema: GraphQLSchema,
  { defaultListSize }: Pick<CostOptions, 'defaultListSize'>,
): ComplexityEstimator {
  const containers = boundedContainerTypes(schema);
  return ({ type, field, args, childComplexity }) => {
    if (isIntrospection(type, field)) return 0;
    return FIELD_COST + listSize(type, field, args) * childComplexity;
  };

  function listSize(
    parent: GraphQLCompositeType,
    field: GraphQLField<unknown, unknown>,
    args: Record<string, unknown>,
  ): number {
    const representations = args[REPRESENTATIONS_ARGUMENT];
    if (field.name === ENTITIES_FIELD && Array.isArray(representations)) {
      return representations.length;
    }
    const bound = sizeFromArguments(args);
    if (bound !== undefined) return Math.max(bound, 0);
    if (!isListType(getNullableType(field.type))) return 1;
    return containers.has(parent.name) ? 1 : defaultListSize;
  }
}

const estimators = new WeakMap<GraphQLSchema, Map<number, ComplexityEstimator>>();

function estimatorFor(schema: GraphQLSchema, defaultListSize: number): ComplexityEstimator {
  let bySize = estimators.get(schema);
  if (!bySize) estimators.set(schema, (bySize = new Map()));
  let estimator = bySize.get(defaultListSize);
  if (!estimator) {
    estimator = createListSizeEstimator(schema, { defaultListSize });
    bySize.set(defaultListSize, estimator);
  }
  return estimator;
}

const TOO_MANY_NODES = 'maximum allowed number of nodes';

/** Estimates the cost of the operation that `request` selects in a valid document. */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  request: CostRequest,
  { defaultListSize, maxNodes = MAX_COST_NODES }: CostOptions,
): CostEstimate {
  const operation = getOperationAST(document, request.operationName);
  if (!operation) return { kind: 'not-runnable' };
  const variables = request.variables ?? {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return { kind: 'not-runnable' };
  let cost: number | undefined;
  const rule = createComplexityRule({
    maximumComplexity: Number.POSITIVE_INFINITY,
    estimators: [estimatorFor(schema, defaultListSize)],
    variables,
    // The library compares this with `operation.name.value`: only pass it for a named one.
    ...(operation.name ? { operationName: operation.name.value } : {}),
    maxQueryNodes: maxNodes,
    onComplete: (complexity) => {
      cost = complexity;
    },
  });
  try {
    validate(schema, document, [rule]);
  } catch (error) {
    if (error instanceof Error && error.message.includes(TOO_MANY_NODES)) {
      return { kind: 'too-many-nodes', maxNodes };
    }
    throw error;
  }
  return { kind: 'estimated', cost: cost ?? 0 };
}
