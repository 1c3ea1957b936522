// The shape of an operation's response, compiled once per document (and per values of the
// variables that decide @skip/@include): for each runtime type, the fields of its response
// objects in order, with their types and the selections under them. The plan executor's
// completion (response-completion.ts) walks it instead of re-reading the operation.
import type { QueryPlan } from '@apollo/query-planner';
import {
  Kind,
  isAbstractType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type OperationTypeNode,
  type SelectionSetNode,
} from 'graphql';

export type Data = Record<string, unknown>;

/** The type an object of the response is shaped as: its object type, or the interface an
 * @interfaceObject subgraph names when no subgraph tells the object type. */
export type RuntimeType = GraphQLObjectType | GraphQLInterfaceType;

/** The fields one runtime type contributes to a response object, in response order. */
export interface FieldShape {
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
export class SelectionShape {
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
      // `__typename` is the runtime type's name; root `__schema`/`__type`, introspection.
      if (name === '__typename' || name === '__schema' || name === '__type') {
        shapes.push({
          responseName,
          inputName,
          coordinate,
          type: undefined,
          selection: undefined,
          introspection: name !== '__typename',
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
