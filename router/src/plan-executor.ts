// Runs the query plans of @apollo/query-planner: the router's own executor, in place of the
// gateway's `executeQueryPlan`, for queries, mutations and subscription events alike. The
// planner and the supergraph handling stay Apollo's; what is ours is the part that costs
// under load: fetches go straight to the data sources (no per-node telemetry objects), the
// operation is compiled once per document into the shape of its response, and shaping walks
// that compiled shape instead of re-deriving it from the operation on every request. Null
// propagation follows the GraphQL spec: a null in a non-null position is an error with its
// path, and nulls the nearest nullable parent (`data: null` at the root).
import type {
  FetchNode,
  PlanNode,
  QueryPlan,
  QueryPlanSelectionNode,
  SubscriptionNode,
} from '@apollo/query-planner';
import { applyRewrites, isObjectOfType } from '@apollo/gateway/dist/dataRewrites.js';
import { generateHydratedPaths } from '@apollo/gateway/dist/executeQueryPlan.js';
import { deepMerge } from '@apollo/gateway/dist/utilities/deepMerge.js';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  execute,
  isAbstractType,
  isEnumType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { SubgraphRequest, SubgraphResponse } from './data-source.js';

type Data = Record<string, unknown>;
type Path = (string | number)[];

/** Sends one fetch of a plan to its subgraph; never throws (failures are coded errors). */
export type Fetcher = (
  serviceName: string,
  request: SubgraphRequest,
  fetch: FetchNode,
) => Promise<SubgraphResponse>;

/** A null that must reach the nearest nullable parent; its error is already recorded. */
const BUBBLE = Symbol('null bubbles up');

const BUILT_IN_SCALARS: Record<string, (value: unknown) => boolean> = {
  Int: (value) => Number.isInteger(value),
  Float: (value) => typeof value === 'number' && Number.isFinite(value),
  String: (value) => typeof value === 'string',
  Boolean: (value) => typeof value === 'boolean',
  ID: (value) => typeof value === 'string' || Number.isInteger(value),
};

/** The type an object of the response is shaped as: its object type, or the interface an
 * @interfaceObject subgraph names when no subgraph tells the object type. */
type RuntimeType = GraphQLObjectType | GraphQLInterfaceType;

/** The fields one runtime type contributes to a response object, in response order. */
interface FieldShape {
  /** The key in the response. */
  responseName: string;
  /** The key in the merged subgraph data: the response name, or the alias it was planned
   * under (plan-corrections.ts). */
  inputName: string;
  /** `Type.field`, for error messages. */
  coordinate: string;
  /** undefined for `__typename`. */
  type: GraphQLOutputType | undefined;
  /** The selection under the field, for composite types. */
  selection: SelectionShape | undefined;
  /** Root `__schema` / `__type`: answered from the API schema. */
  introspection: boolean;
}

/** A selection set (merged from every field node of one response name), compiled per runtime
 * object type on first use. */
class SelectionShape {
  private readonly byType = new Map<string, FieldShape[]>();

  constructor(
    private readonly sets: readonly SelectionSetNode[],
    private readonly compiler: ShapeCompiler,
  ) {}

  fieldsOf(type: RuntimeType): FieldShape[] {
    let fields = this.byType.get(type.name);
    if (!fields) {
      fields = this.compiler.compileFields(type, this.sets);
      this.byType.set(type.name, fields);
    }
    return fields;
  }
}

/** Compiles an operation's selections against the API schema, with @skip/@include decided by
 * one set of variable values. */
class ShapeCompiler {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly variables: Data,
    private readonly clientAliasPrefix: string | undefined,
  ) {}

  /** The client's response name of a field planned under an alias. */
  outputName(inputName: string): string {
    const prefix = this.clientAliasPrefix;
    return prefix !== undefined && inputName.startsWith(prefix)
      ? inputName.slice(prefix.length)
      : inputName;
  }

  selection(sets: readonly SelectionSetNode[]): SelectionShape {
    return new SelectionShape(sets, this);
  }

  compileFields(type: RuntimeType, sets: readonly SelectionSetNode[]): FieldShape[] {
    const grouped = new Map<string, FieldNode[]>();
    for (const set of sets) this.collect(type, set, grouped, new Set());
    const definitions = type.getFields();
    const shapes: FieldShape[] = [];
    for (const [inputName, nodes] of grouped) {
      const responseName = this.outputName(inputName);
      const name = nodes[0]!.name.value;
      const coordinate = `${type.name}.${name}`;
      if (name === '__typename') {
        shapes.push({
          responseName,
          inputName,
          coordinate,
          type: undefined,
          selection: undefined,
          introspection: false,
        });
        continue;
      }
      if (name === '__schema' || name === '__type') {
        shapes.push({
          responseName,
          inputName,
          coordinate,
          type: undefined,
          selection: undefined,
          introspection: true,
        });
        continue;
      }
      const definition = definitions[name];
      if (!definition) continue; // validated documents select only existing fields
      const subSets = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      shapes.push({
        responseName,
        inputName,
        coordinate,
        type: definition.type,
        selection: subSets.length > 0 ? this.selection(subSets) : undefined,
        introspection: false,
      });
    }
    return shapes;
  }

  private collect(
    type: RuntimeType,
    set: SelectionSetNode,
    grouped: Map<string, FieldNode[]>,
    visited: Set<string>,
  ): void {
    for (const selection of set.selections) {
      if (!this.included(selection)) continue;
      switch (selection.kind) {
        case Kind.FIELD: {
          const responseName = selection.alias?.value ?? selection.name.value;
          const nodes = grouped.get(responseName);
          if (nodes) nodes.push(selection);
          else grouped.set(responseName, [selection]);
          break;
        }
        case Kind.INLINE_FRAGMENT:
          if (this.applies(selection.typeCondition?.name.value, type)) {
            this.collect(type, selection.selectionSet, grouped, visited);
          }
          break;
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const fragment = this.fragments[name];
          if (!fragment || visited.has(name)) break;
          visited.add(name);
          if (this.applies(fragment.typeCondition.name.value, type)) {
            this.collect(type, fragment.selectionSet, grouped, visited);
          }
          break;
        }
      }
    }
  }

  private applies(condition: string | undefined, type: RuntimeType): boolean {
    if (condition === undefined || condition === type.name) return true;
    const conditionType = this.schema.getType(condition);
    return (
      conditionType !== undefined &&
      isAbstractType(conditionType) &&
      this.schema.isSubType(conditionType, type)
    );
  }

  private included(selection: { directives?: readonly DirectiveLike[] }): boolean {
    for (const directive of selection.directives ?? []) {
      const name = directive.name.value;
      if (name !== 'skip' && name !== 'include') continue;
      const argument = directive.arguments?.find((arg) => arg.name.value === 'if')?.value;
      const value =
        argument?.kind === Kind.VARIABLE
          ? this.variables[argument.name!.value] === true
          : argument?.kind === Kind.BOOLEAN && argument.value;
      if (name === 'skip' ? value : !value) return false;
    }
    return true;
  }
}

interface DirectiveLike {
  name: { value: string };
  arguments?: readonly {
    name: { value: string };
    value: { kind: Kind; value?: unknown; name?: { value: string } };
  }[];
}

export interface PreparedOptions {
  /** Client fields were planned under aliases with this prefix (plan-corrections.ts). */
  clientAliasPrefix?: string;
  /** Root fields the plan fetches nothing for: the operation cannot be answered. */
  unplannedRootFields?: string[];
}

/** An operation planned against one supergraph, reused by every request that sends it. */
export class PreparedOperation {
  readonly kind: OperationTypeNode;
  readonly clientAliasPrefix: string | undefined;
  readonly unplannedRootFields: readonly string[];
  /** Variables that decide @skip/@include: the compiled shape depends on their values. */
  private readonly conditionVariables: string[];
  private readonly shapes = new Map<string, SelectionShape>();
  readonly fragments: Record<string, FragmentDefinitionNode> = {};

  constructor(
    readonly plan: QueryPlan,
    readonly operation: OperationDefinitionNode,
    document: DocumentNode,
    private readonly apiSchema: GraphQLSchema,
    options: PreparedOptions = {},
  ) {
    this.kind = operation.operation;
    this.clientAliasPrefix = options.clientAliasPrefix;
    this.unplannedRootFields = options.unplannedRootFields ?? [];
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        this.fragments[definition.name.value] = definition;
      }
    }
    this.conditionVariables = conditionVariablesOf(document);
  }

  /** The shape of the response for these (coerced) variables. */
  shape(variables: Data): SelectionShape {
    const key = this.conditionVariables.map((name) => (variables[name] === true ? 1 : 0)).join('');
    let shape = this.shapes.get(key);
    if (!shape) {
      shape = new ShapeCompiler(
        this.apiSchema,
        this.fragments,
        variables,
        this.clientAliasPrefix,
      ).selection([this.operation.selectionSet]);
      this.shapes.set(key, shape);
    }
    return shape;
  }

  get rootType(): GraphQLObjectType {
    return this.apiSchema.getRootType(this.kind)!;
  }
}

function conditionVariablesOf(document: DocumentNode): string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const {
      kind,
      name,
      arguments: args,
    } = node as {
      kind?: string;
      name?: { value: string };
      arguments?: { value: { kind: string; name?: { value: string } } }[];
    };
    if (kind === Kind.DIRECTIVE && (name?.value === 'skip' || name?.value === 'include')) {
      for (const argument of args ?? []) {
        if (argument.value.kind === Kind.VARIABLE) names.add(argument.value.name!.value);
      }
      return;
    }
    for (const key in node) {
      if (key !== 'loc') visit((node as Record<string, unknown>)[key]);
    }
  };
  visit(document.definitions);
  return [...names].sort();
}

export interface PlanRequest {
  prepared: PreparedOperation;
  /** Coerced variables (defaults applied). */
  variables: Data;
  document: DocumentNode;
  fetcher: Fetcher;
}

/** What the executor needs of the supergraph. */
export interface PlanSchemas {
  /** The API schema (what clients see), for shaping and introspection. */
  api: GraphQLSchema;
  /** The supergraph schema, for the plan's type conditions and rewrites. */
  supergraph: GraphQLSchema;
}

/** Runs a plan and shapes its response. */
export async function executePlan(
  schemas: PlanSchemas,
  request: PlanRequest,
  /** Data already known at the root (a subscription event's primary fetch). */
  root: Data = Object.create(null) as Data,
): Promise<ExecutionResult> {
  const { unplannedRootFields } = request.prepared;
  if (unplannedRootFields.length > 0) {
    // Not answerable at all: a request error, so no partial data.
    return {
      data: null,
      errors: [
        new GraphQLError(
          `Cannot plan the operation: no subgraph can resolve ${unplannedRootFields.join(', ')}.`,
          { extensions: { code: 'QUERY_PLANNING_FAILED', fields: unplannedRootFields } },
        ),
      ],
    };
  }
  const run = new PlanRun(schemas, request, root);
  const node = request.prepared.plan.node;
  if (node) await run.node(node, root, []);
  return run.response();
}

class PlanRun {
  readonly errors: GraphQLError[] = [];
  /** Paths of the fetch errors; a null under one of them is explained already. */
  private readonly errorPaths: (readonly (string | number)[] | undefined)[] = [];
  private readonly path: Path = [];

  constructor(
    private readonly schemas: PlanSchemas,
    private readonly request: PlanRequest,
    private readonly root: Data,
  ) {}

  async node(
    node: PlanNode | SubscriptionNode,
    data: unknown,
    path: readonly (string | number)[],
  ): Promise<void> {
    switch (node.kind) {
      case 'Sequence':
        for (const child of node.nodes) await this.node(child, data, path);
        return;
      case 'Parallel':
        await Promise.all(node.nodes.map((child) => this.node(child, data, path)));
        return;
      case 'Flatten': {
        const inner = flatten(data, node.path);
        if (inner === undefined || inner === null) return;
        await this.node(node.node, inner, [...path, ...node.path]);
        return;
      }
      case 'Fetch':
        await this.fetch(node, data, path);
        return;
      case 'Condition': {
        const branch =
          this.request.variables[node.condition] === true ? node.ifClause : node.elseClause;
        if (branch) await this.node(branch, data, path);
        return;
      }
      default:
        this.errors.push(
          new GraphQLError(`The router does not run ${node.kind} plan nodes.`, {
            extensions: { code: 'BAD_REQUEST' },
          }),
        );
    }
  }

  private async fetch(
    fetch: FetchNode,
    data: unknown,
    path: readonly (string | number)[],
  ): Promise<void> {
    const entities = (Array.isArray(data) ? data : [data]).filter(
      (entity): entity is Data => entity !== null && entity !== undefined,
    );
    if (entities.length === 0) return;
    const variables: Data = Object.create(null) as Data;
    for (const name of fetch.variableUsages ?? []) {
      const value = this.request.variables[name];
      if (value !== undefined) variables[name] = value;
    }
    const supergraph = this.schemas.supergraph;
    if (!fetch.requires) {
      const response = await this.send(fetch, variables, path);
      const received = response.data;
      if (!received) return;
      applyRewrites(supergraph, fetch.outputRewrites, received);
      for (const entity of entities) deepMerge(entity, received);
      return;
    }
    const representations: Data[] = [];
    const targets: Data[] = [];
    for (const entity of entities) {
      const representation = representationOf(supergraph, entity, fetch.requires);
      if (representation && representation['__typename']) {
        applyRewrites(supergraph, fetch.inputRewrites, representation);
        representations.push(representation);
        targets.push(entity);
      }
    }
    if (representations.length === 0) return;
    const response = await this.send(fetch, { ...variables, representations }, path);
    const received = response.data?.['_entities'];
    if (!response.data) return;
    if (!Array.isArray(received) || received.length !== representations.length) {
      this.errors.push(
        new GraphQLError(
          `The ${fetch.serviceName} subgraph answered an entity fetch with ${Array.isArray(received) ? received.length : 'no'} entities for ${representations.length} representations.`,
          { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: fetch.serviceName } },
        ),
      );
      this.errorPaths.push(undefined);
      return;
    }
    for (let index = 0; index < received.length; index += 1) {
      const entity = received[index] as Data | null;
      const target = targets[index]!;
      if (entity && !entity['__typename']) entity['__typename'] = target['__typename'];
      if (entity) applyRewrites(supergraph, fetch.outputRewrites, entity);
      deepMerge(target, entity);
    }
  }

  private async send(
    fetch: FetchNode,
    variables: Data,
    path: readonly (string | number)[],
  ): Promise<SubgraphResponse> {
    const response = await this.request.fetcher(
      fetch.serviceName,
      { query: fetch.operation, operationName: fetch.operationName, variables },
      fetch,
    );
    if (response.errors && response.errors.length > 0) {
      let hydrated: Path[] | undefined;
      for (const error of response.errors) {
        const errorPath = error.path as Path | undefined;
        let mapped: Path | undefined;
        if (errorPath && fetch.requires && typeof errorPath[1] === 'number') {
          if (!hydrated) {
            hydrated = [];
            generateHydratedPaths([], path as string[], this.root, hydrated);
          }
          mapped = [...(hydrated[errorPath[1]] ?? []), ...errorPath.slice(2)];
        } else if (errorPath) {
          mapped = [...path.filter((part) => part !== '@'), ...errorPath];
        }
        const extensions = (error.extensions as Data | undefined) ?? {};
        const prefix = this.request.prepared.clientAliasPrefix;
        if (mapped && prefix !== undefined) {
          mapped = mapped.map((part) =>
            typeof part === 'string' && part.startsWith(prefix) ? part.slice(prefix.length) : part,
          );
        }
        this.errors.push(
          new GraphQLError(
            error.message || `Error while fetching subquery from service "${fetch.serviceName}"`,
            {
              path: mapped,
              extensions: {
                ...extensions,
                code: extensions['code'] ?? 'DOWNSTREAM_SERVICE_ERROR',
                serviceName: fetch.serviceName,
              },
            },
          ),
        );
        this.errorPaths.push(mapped);
      }
    }
    return response;
  }

  /** Shapes the merged data into the response the operation asked for. */
  response(): ExecutionResult {
    const { prepared, variables } = this.request;
    const shape = prepared.shape(variables);
    const data = this.object(this.root, prepared.rootType, shape);
    const result: ExecutionResult = { data: data === BUBBLE ? null : (data as Data) };
    if (this.errors.length > 0) result.errors = this.errors;
    return result;
  }

  private object(input: Data, type: RuntimeType, shape: SelectionShape): Data | typeof BUBBLE {
    const output: Data = {};
    for (const field of shape.fieldsOf(type)) {
      const { responseName } = field;
      if (field.type === undefined) {
        output[responseName] = field.introspection ? this.introspect(field.inputName) : type.name;
        continue;
      }
      this.path.push(responseName);
      const value = this.value(input[field.inputName], field.type, field, field.selection);
      this.path.pop();
      if (value === BUBBLE) return BUBBLE;
      output[responseName] = value;
    }
    return output;
  }

  private value(
    input: unknown,
    type: GraphQLOutputType,
    field: FieldShape,
    selection: SelectionShape | undefined,
  ): unknown {
    if (isNonNullType(type)) {
      const inner = this.nullable(input, type.ofType as GraphQLOutputType, field, selection);
      if (inner === null) {
        this.nullError(field);
        return BUBBLE;
      }
      return inner;
    }
    const value = this.nullable(input, type, field, selection);
    return value === BUBBLE ? null : value;
  }

  /** The value at a position of `type` (not non-null): BUBBLE when a non-null below is null. */
  private nullable(
    input: unknown,
    type: GraphQLOutputType,
    field: FieldShape,
    selection: SelectionShape | undefined,
  ): unknown {
    if (input === null || input === undefined) return null;
    if (isListType(type)) {
      if (!Array.isArray(input)) return this.invalid(field);
      const itemType = type.ofType as GraphQLOutputType;
      const output = new Array<unknown>(input.length);
      for (let index = 0; index < input.length; index += 1) {
        this.path.push(index);
        const item = this.value(input[index], itemType, field, selection);
        this.path.pop();
        if (item === BUBBLE) return BUBBLE;
        output[index] = item;
      }
      return output;
    }
    if (isLeafType(type)) {
      const valid = isEnumType(type)
        ? typeof input === 'string' && type.getValue(input) !== undefined
        : (BUILT_IN_SCALARS[type.name]?.(input) ?? true);
      if (!valid) return this.invalid(field);
      return type.name === 'ID' && typeof input === 'number' ? String(input) : input;
    }
    if (typeof input !== 'object' || Array.isArray(input) || !selection) return this.invalid(field);
    const runtime = this.runtimeType(input as Data, type as GraphQLCompositeType);
    if (!runtime) return this.invalid(field);
    return this.object(input as Data, runtime, selection);
  }

  private runtimeType(input: Data, type: GraphQLCompositeType): RuntimeType | undefined {
    if (isObjectType(type)) return type;
    const typename = input['__typename'];
    // An @interfaceObject subgraph answering alone does not know the object type.
    if (typename === undefined) return isInterfaceType(type) ? type : undefined;
    if (typeof typename !== 'string') return undefined;
    const runtime = this.schemas.api.getType(typename);
    if (!runtime || !(isObjectType(runtime) || isInterfaceType(runtime))) return undefined;
    return runtime === type || this.schemas.api.isSubType(type, runtime) ? runtime : undefined;
  }

  /** A value that does not fit its type: an error, and a null that bubbles. */
  private invalid(field: FieldShape): typeof BUBBLE {
    this.errors.push(
      new GraphQLError(`Invalid value found for field ${field.coordinate}.`, {
        path: [...this.path],
        extensions: { code: 'RESPONSE_VALIDATION_FAILED' },
      }),
    );
    return BUBBLE;
  }

  private nullError(field: FieldShape): void {
    if (this.explained()) return;
    this.errors.push(
      new GraphQLError(`Cannot return null for non-nullable field ${field.coordinate}.`, {
        path: [...this.path],
        extensions: { code: 'RESPONSE_VALIDATION_FAILED' },
      }),
    );
  }

  /** Whether a fetch error already accounts for a null at the current path: one without a
   * path (the whole fetch failed), or one at or above it. */
  private explained(): boolean {
    return this.errorPaths.some(
      (errorPath) =>
        errorPath === undefined ||
        (errorPath.length <= this.path.length &&
          errorPath.every((part, index) => part === this.path[index])),
    );
  }

  private introspection: Data | undefined;

  /** A root `__schema` / `__type`, from the API schema (all of them answered at once). */
  private introspect(responseName: string): unknown {
    if (!this.introspection) {
      const { prepared, variables, document } = this.request;
      const operation: OperationDefinitionNode = {
        ...prepared.operation,
        operation: OperationTypeNode.QUERY,
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: prepared.operation.selectionSet.selections.filter(
            (selection) =>
              selection.kind !== Kind.FIELD ||
              selection.name.value === '__schema' ||
              selection.name.value === '__type',
          ),
        },
      };
      const result = execute({
        schema: this.schemas.api,
        document: {
          kind: Kind.DOCUMENT,
          definitions: [
            operation,
            ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION),
          ],
        },
        variableValues: variables,
      }) as ExecutionResult;
      this.introspection = (result.data ?? {}) as Data;
    }
    return this.introspection[responseName] ?? null;
  }
}

/** The values at a plan path: `@` steps into every element of a list, and the values found
 * under one come back as one flat list (as the gateway's executor has them). */
function flatten(value: unknown, path: readonly (string | number)[]): unknown {
  if (!path.includes('@')) {
    let current: unknown = value;
    for (let index = 0; index < path.length && current != null; index += 1) {
      current = (current as Data)[path[index] as string];
    }
    return current;
  }
  const found: unknown[] = [];
  collect(value, path, 0, found);
  return found;
}

function collect(
  value: unknown,
  path: readonly (string | number)[],
  from: number,
  found: unknown[],
) {
  let current = value;
  for (let index = from; index < path.length; index += 1) {
    if (current === null || current === undefined) break;
    if (path[index] === '@') {
      for (const element of current as unknown[]) collect(element, path, index + 1, found);
      return;
    }
    current = (current as Data)[path[index] as string];
  }
  if (Array.isArray(current)) for (const element of current) found.push(element);
  else found.push(current);
}

/** The representation of an entity for an entity fetch: the fields its `requires` selects. */
function representationOf(
  schema: GraphQLSchema,
  source: Data | null,
  selections: readonly QueryPlanSelectionNode[],
): Data | null {
  if (source === null) return null;
  const result: Data = Object.create(null) as Data;
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const name = selection.alias ?? selection.name;
      const value = source[name];
      if (value === undefined) return null;
      const inner = selection.selections;
      if (Array.isArray(value)) {
        result[name] = value.map((item: Data | null) =>
          inner ? representationOf(schema, item, inner) : item,
        );
      } else if (inner) {
        result[name] = representationOf(schema, value as Data | null, inner);
      } else {
        result[name] = value;
      }
    } else if (selection.typeCondition && isObjectOfType(schema, source, selection.typeCondition)) {
      deepMerge(result, representationOf(schema, source, selection.selections));
    }
  }
  return result;
}
