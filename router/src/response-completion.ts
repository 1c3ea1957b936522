// Completes the data merged from a plan's fetches into the response the operation asked for,
// along its compiled shape (response-shape.ts): response names and order, `__typename`,
// leaf values checked against their types, and null propagation as the GraphQL spec has it (a
// null in a non-null position is an error with its path and nulls the nearest nullable
// parent; `data: null` at the root), unless a fetch error already explains that null.
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  execute,
  isEnumType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type {
  Data,
  FieldShape,
  PreparedOperation,
  RuntimeType,
  SelectionShape,
} from './response-shape.js';

type Path = (string | number)[];

/** A null that must reach the nearest nullable parent; its error is already recorded. */
const BUBBLE = Symbol('null bubbles up');

const BUILT_IN_SCALARS: Record<string, (value: unknown) => boolean> = {
  Int: (value) => Number.isInteger(value),
  Float: (value) => typeof value === 'number' && Number.isFinite(value),
  String: (value) => typeof value === 'string',
  Boolean: (value) => typeof value === 'boolean',
  ID: (value) => typeof value === 'string' || Number.isInteger(value),
};

export interface CompletionInput {
  /** The API schema, for runtime types and introspection. */
  api: GraphQLSchema;
  prepared: PreparedOperation;
  variables: Data;
  document: DocumentNode;
  /** The fetches' errors so far; completion adds its own. */
  errors: GraphQLError[];
  /** Paths of the fetch errors (undefined: no path); a null under one is explained. */
  errorPaths: readonly (readonly (string | number)[] | undefined)[];
}

/** The response for the merged data at `root`. */
export function completeResponse(input: CompletionInput, root: Data): ExecutionResult {
  return new Completion(input).response(root);
}

class Completion {
  private readonly path: Path = [];
  private readonly errors: GraphQLError[];

  constructor(private readonly input: CompletionInput) {
    this.errors = input.errors;
  }

  response(root: Data): ExecutionResult {
    const { prepared, variables } = this.input;
    const data = this.object(root, prepared.rootType, prepared.shape(variables));
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
    const runtime = this.input.api.getType(typename);
    if (!runtime || !(isObjectType(runtime) || isInterfaceType(runtime))) return undefined;
    return runtime === type || this.input.api.isSubType(type, runtime) ? runtime : undefined;
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
   * path (the whole fetch failed), one above it, or one under it (the subgraph's own null
   * propagation brought that error's null up to here). */
  private explained(): boolean {
    const path = this.path;
    return this.input.errorPaths.some((errorPath) => {
      if (errorPath === undefined) return true;
      const shared = Math.min(errorPath.length, path.length);
      for (let index = 0; index < shared; index += 1) {
        if (errorPath[index] !== path[index]) return false;
      }
      return true;
    });
  }

  private introspection: Data | undefined;

  /** A root `__schema` / `__type`, from the API schema (all of them answered at once). */
  private introspect(responseName: string): unknown {
    if (!this.introspection) {
      const { prepared, variables, document } = this.input;
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
        schema: this.input.api,
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
