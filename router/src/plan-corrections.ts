// Corrections to what @apollo/query-planner 2.14 gets wrong, applied around planning: fields
// that a @requires asks for with arguments (the planner merges same-named fields and loses
// arguments), and root fields the plan cannot fetch at all. Pure functions; plans are cached,
// so nothing here mutates its input.
import type { FetchNode, FetchDataRewrite, PlanNode, QueryPlan } from '@apollo/query-planner';
import type { QueryPlanFieldNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import {
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  parse,
  print,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

import { keyContext, rekeyEntityFetches, type KeyContext } from './plan-rekeying.js';
import { collectDependents, selectionSetsForPath, type Dependent } from './plan-walk.js';

/** A client field aliased to this prefix + its name while planning (see prepareOperation). */
export const CLIENT_ALIAS_PREFIX = '_fc_';
/** A required field with arguments is fetched under this prefix + name + '_' + variant. */
export const REQUIRED_ALIAS_PREFIX = '_fr_';

interface RequiredWithArguments {
  /** The field the @requires asks for, e.g. `price`. */
  name: string;
  /** The printed arguments, which tell the variants apart. */
  key: string;
  node: FieldNode;
}

export interface CorrectionContext {
  /** `Type.field` of every field some @requires asks for with arguments. */
  argumentFields: Set<string>;
  /** `subgraph.Type.field` → the fields with arguments its @requires asks for, top level. */
  requirements: Map<string, RequiredWithArguments[]>;
  /** Keys and field ownership, for rekeying (plan-rekeying.ts). */
  keys: KeyContext;
}

const argumentsKey = (args: readonly ArgumentNode[] | undefined) =>
  (args ?? []).map((arg) => `${arg.name.value}:${print(arg.value)}`).join(',');

const stringArgument = (directive: DirectiveNode, name: string) => {
  const arg = directive.arguments?.find((candidate) => candidate.name.value === name);
  return arg?.value.kind === Kind.STRING ? arg.value.value : undefined;
};

/**
 * Reads, once per supergraph, which fields the subgraphs' @requires ask for with arguments.
 * `schema` is the supergraph schema (types of nested required fields are looked up in it).
 */
export function correctionContext(supergraphSdl: string, schema: GraphQLSchema): CorrectionContext {
  const document = parse(supergraphSdl);
  const graphNames = new Map<string, string>();
  const argumentFields = new Set<string>();
  const requirements = new Map<string, RequiredWithArguments[]>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const graph = value.directives?.find((d) => d.name.value === 'join__graph');
        const name = graph && stringArgument(graph, 'name');
        if (name) graphNames.set(value.name.value, name);
      }
    }
  }
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
    )
      continue;
    for (const field of definition.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (directive.name.value !== 'join__field') continue;
        const requires = stringArgument(directive, 'requires');
        const graphArg = directive.arguments?.find((arg) => arg.name.value === 'graph');
        if (!requires || graphArg?.value.kind !== Kind.ENUM) continue;
        const subgraph = graphNames.get(graphArg.value.value);
        const fieldSet = parse(`{ ${requires} }`).definitions[0] as OperationDefinitionNode;
        const typeInfo = new TypeInfo(schema, schema.getType(definition.name.value) as never);
        const topLevel: RequiredWithArguments[] = [];
        visit(
          fieldSet.selectionSet,
          visitWithTypeInfo(typeInfo, {
            Field(node) {
              if (!node.arguments?.length) return;
              const parent = typeInfo.getParentType();
              if (parent) argumentFields.add(`${parent.name}.${node.name.value}`);
              if (parent?.name === definition.name.value) {
                topLevel.push({ name: node.name.value, key: argumentsKey(node.arguments), node });
              }
            },
          }),
        );
        if (subgraph && topLevel.length) {
          requirements.set(`${subgraph}.${definition.name.value}.${field.name.value}`, topLevel);
        }
      }
    }
  }
  return { argumentFields, requirements, keys: keyContext(supergraphSdl) };
}

/**
 * The client's own fields that share a name with a field some @requires asks for with
 * arguments get an alias before planning: the planner merges fields by response name, so the
 * client's `comments(limit: 1)` and a required `comments(limit: 3)` became one field with the
 * required arguments. `restoreClientAliases` (result-completion.ts) undoes it in the result.
 * Returns the document itself when nothing needs an alias.
 */
export function prepareOperation(
  document: DocumentNode,
  apiSchema: GraphQLSchema,
  ctx: CorrectionContext,
): DocumentNode {
  if (ctx.argumentFields.size === 0) return document;
  const typeInfo = new TypeInfo(apiSchema);
  const applies = (parentName: string, fieldName: string) => {
    if (ctx.argumentFields.has(`${parentName}.${fieldName}`)) return true;
    const parent = apiSchema.getType(parentName);
    if (!parent || !isAbstractType(parent)) return false;
    return apiSchema
      .getPossibleTypes(parent)
      .some((type) => ctx.argumentFields.has(`${type.name}.${fieldName}`));
  };
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (node.alias || !parent || !applies(getNamedType(parent).name, node.name.value)) return;
        return {
          ...node,
          alias: { kind: Kind.NAME, value: `${CLIENT_ALIAS_PREFIX}${node.name.value}` },
        };
      },
    }),
  );
}

/** Where the planner gave one entity fetch the same required field with different arguments. */
interface Conflict {
  path: string;
  typeName: string;
  name: string;
  /** Argument key → alias, in a stable order. */
  variants: Map<string, { alias: string; node: FieldNode }>;
}

const pathKey = (path: readonly (string | number)[]) => path.join('.');

/** The `... on T { f }` selections of an `_entities` fetch: type name → fields. */
function entitySelections(operation: DocumentNode): Map<string, FieldNode[]> {
  const selections = new Map<string, FieldNode[]>();
  visit(operation, {
    InlineFragment(node) {
      const typeName = node.typeCondition?.name.value;
      if (!typeName) return;
      const fields = node.selectionSet.selections.filter(
        (s): s is FieldNode => s.kind === Kind.FIELD,
      );
      selections.set(typeName, [...(selections.get(typeName) ?? []), ...fields]);
    },
  });
  return selections;
}

function requiredVariants(fetch: FetchNode, ctx: CorrectionContext) {
  const perType = new Map<string, Map<string, RequiredWithArguments[]>>();
  for (const [typeName, fields] of entitySelections(parse(fetch.operation))) {
    const perField = new Map<string, RequiredWithArguments[]>();
    for (const field of fields) {
      const needs = ctx.requirements.get(`${fetch.serviceName}.${typeName}.${field.name.value}`);
      if (needs) perField.set(field.name.value, needs);
    }
    if (perField.size) perType.set(typeName, perField);
  }
  return perType;
}

function findConflicts(dependents: Dependent[], ctx: CorrectionContext): Conflict[] {
  const byKey = new Map<string, Conflict>();
  for (const { flatten, fetch } of dependents) {
    for (const [typeName, perField] of requiredVariants(fetch, ctx)) {
      for (const needs of perField.values()) {
        for (const need of needs) {
          const id = `${pathKey(flatten.path)}|${typeName}|${need.name}`;
          let conflict = byKey.get(id);
          if (!conflict) {
            conflict = {
              path: pathKey(flatten.path),
              typeName,
              name: need.name,
              variants: new Map(),
            };
            byKey.set(id, conflict);
          }
          if (!conflict.variants.has(need.key)) {
            const alias = `${REQUIRED_ALIAS_PREFIX}${need.name}_${conflict.variants.size}`;
            conflict.variants.set(need.key, { alias, node: need.node });
          }
        }
      }
    }
  }
  return [...byKey.values()].filter((conflict) => conflict.variants.size > 1);
}

/**
 * Rewrites a fetch that gets `name` for entities at the conflict's path: the one merged field
 * becomes one aliased field per variant of arguments. Returns undefined when it has none.
 */
function aliasInProducer(
  fetch: FetchNode,
  fetchPath: readonly (string | number)[],
  conflict: Conflict,
): string | undefined {
  const document = parse(fetch.operation);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const targets = new Set(
    selectionSetsForPath(operation, fetch, fetchPath, conflict.path.split('.')),
  );
  if (targets.size === 0) return undefined;
  let changed = false;
  const expand = (selections: readonly SelectionNode[]): SelectionNode[] =>
    selections.flatMap((selection) => {
      if (
        selection.kind !== Kind.FIELD ||
        selection.alias ||
        selection.name.value !== conflict.name
      )
        return [selection];
      changed = true;
      return [...conflict.variants.values()].map(({ alias, node }): FieldNode => ({
        ...selection,
        alias: { kind: Kind.NAME, value: alias },
        arguments: node.arguments,
      }));
    });
  const rewritten = visit(document, {
    SelectionSet(node) {
      if (!targets.has(node)) return;
      return {
        ...node,
        selections: expand(node.selections).map((selection) =>
          selection.kind === Kind.INLINE_FRAGMENT
            ? {
                ...selection,
                selectionSet: {
                  ...selection.selectionSet,
                  selections: expand(selection.selectionSet.selections),
                },
              }
            : selection,
        ),
      };
    },
  });
  return changed ? print(rewritten) : undefined;
}

/** Requires selections with `name` read from `alias` (renamed back by an input rewrite). */
function requiresReading(
  selections: readonly QueryPlanSelectionNode[],
  typeName: string,
  aliases: Map<string, string>,
): QueryPlanSelectionNode[] {
  return selections.map((selection) => {
    if (selection.kind !== 'InlineFragment' || selection.typeCondition !== typeName)
      return selection;
    return {
      ...selection,
      selections: selection.selections.map((inner) => {
        const alias = inner.kind === 'Field' && !inner.alias ? aliases.get(inner.name) : undefined;
        return alias ? ({ ...inner, alias } as QueryPlanFieldNode) : inner;
      }),
    };
  });
}

/** Splits a dependent fetch into one fetch per variant of arguments its fields require. */
function splitDependent(
  fetch: FetchNode,
  conflicts: Conflict[],
  path: string,
  ctx: CorrectionContext,
) {
  const document = parse(fetch.operation);
  const groups: { typeName: string; fields: Set<string>; aliases: Map<string, string> }[] = [];
  for (const [typeName, perField] of requiredVariants(fetch, ctx)) {
    for (const [fieldName, needs] of perField) {
      const aliases = new Map<string, string>();
      for (const need of needs) {
        const conflict = conflicts.find(
          (c) => c.path === path && c.typeName === typeName && c.name === need.name,
        );
        const variant = conflict?.variants.get(need.key);
        if (variant) aliases.set(need.name, variant.alias);
      }
      const compatible = groups.find(
        (group) =>
          group.typeName === typeName &&
          [...aliases].every(([name, alias]) => (group.aliases.get(name) ?? alias) === alias),
      );
      if (compatible) {
        compatible.fields.add(fieldName);
        for (const [name, alias] of aliases) compatible.aliases.set(name, alias);
      } else groups.push({ typeName, fields: new Set([fieldName]), aliases });
    }
  }
  if (groups.length === 0) return [fetch];
  // Fields with no requirement in conflict stay in the first group of their type.
  return groups.map((group, index): FetchNode => {
    const firstOfType = groups.findIndex((g) => g.typeName === group.typeName) === index;
    const operation = visit(document, {
      InlineFragment(node) {
        if (node.typeCondition?.name.value !== group.typeName) return;
        const selections = node.selectionSet.selections.filter((s) => {
          if (s.kind !== Kind.FIELD) return firstOfType;
          if (group.fields.has(s.name.value)) return true;
          return firstOfType && !groups.some((g) => g.fields.has(s.name.value));
        });
        return { ...node, selectionSet: { ...node.selectionSet, selections } };
      },
    });
    const renames: FetchDataRewrite[] = [...group.aliases].map(([name, alias]) => ({
      kind: 'KeyRenamer',
      path: [`... on ${group.typeName}`, alias],
      renameKeyTo: name,
    }));
    return {
      ...fetch,
      id: fetch.id === undefined ? undefined : `${fetch.id}.${index}`,
      operation: print(operation),
      operationDocumentNode: undefined,
      requires: requiresReading(fetch.requires ?? [], group.typeName, group.aliases),
      // Already there when the plan was corrected before: correcting again changes nothing.
      inputRewrites: [
        ...(fetch.inputRewrites ?? []),
        ...renames.filter(
          (rename) =>
            !fetch.inputRewrites?.some(
              (existing) =>
                existing.kind === 'KeyRenamer' && existing.path.join() === rename.path.join(),
            ),
        ),
      ],
    };
  });
}

function rewriteNode(
  node: PlanNode,
  conflicts: Conflict[],
  ctx: CorrectionContext,
  fetchPath: readonly (string | number)[] = [],
): PlanNode {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return {
        ...node,
        nodes: node.nodes.map((child) => rewriteNode(child, conflicts, ctx, fetchPath)),
      };
    case 'Condition':
      return {
        ...node,
        ifClause: node.ifClause && rewriteNode(node.ifClause, conflicts, ctx, fetchPath),
        elseClause: node.elseClause && rewriteNode(node.elseClause, conflicts, ctx, fetchPath),
      };
    case 'Defer':
      return {
        ...node,
        primary: {
          ...node.primary,
          node: node.primary.node && rewriteNode(node.primary.node, conflicts, ctx, fetchPath),
        },
        deferred: node.deferred.map((deferred) => ({
          ...deferred,
          node: deferred.node && rewriteNode(deferred.node, conflicts, ctx, fetchPath),
        })),
      };
    case 'Flatten': {
      if (node.node.kind !== 'Fetch') {
        return { ...node, node: rewriteNode(node.node, conflicts, ctx, node.path) };
      }
      const produced = rewriteNode(node.node, conflicts, ctx, node.path) as FetchNode;
      const split = splitDependent(produced, conflicts, pathKey(node.path), ctx);
      if (split.length === 1) return { ...node, node: split[0]! };
      return { kind: 'Parallel', nodes: split.map((fetch) => ({ ...node, node: fetch })) };
    }
    case 'Fetch': {
      let operation: string | undefined;
      for (const conflict of conflicts) {
        const rewritten = aliasInProducer(
          { ...node, operation: operation ?? node.operation },
          fetchPath,
          conflict,
        );
        if (rewritten) operation = rewritten;
      }
      return operation ? { ...node, operation, operationDocumentNode: undefined } : node;
    }
  }
}

/**
 * The plan corrected where @apollo/query-planner 2.14 gets it wrong:
 * - entity fetches keyed on keys their subgraph cannot resolve are rekeyed (plan-rekeying.ts);
 * - each required field that entities at one path need with different arguments
 *   (`price(currency: "USD")` and `price(currency: "EUR")`) is fetched once per variant under an
 *   alias, and each dependent fetch is split so that every representation carries the variant
 *   its fields need, renamed back to the field's name by an input rewrite.
 * Idempotent (aliased fields are not seen as conflicting again, covered keys are not rekeyed);
 * never mutates `plan`, which the caller may have cached; returns it when nothing changes.
 */
export function correctQueryPlan(plan: QueryPlan, ctx: CorrectionContext): QueryPlan {
  if (!plan.node || plan.node.kind === 'Subscription') return plan;
  let node = rekeyEntityFetches(plan.node, ctx.keys);
  if (ctx.requirements.size > 0) {
    const dependents: Dependent[] = [];
    collectDependents(node, dependents);
    const conflicts = findConflicts(dependents, ctx);
    if (conflicts.length > 0) node = rewriteNode(node, conflicts, ctx);
  }
  return node === plan.node ? plan : { ...plan, node };
}

const ROOT_META_FIELDS = new Set(['__typename', '__schema', '__type']);

function rootFetches(node: PlanNode | undefined, into: FetchNode[]) {
  if (!node) return;
  switch (node.kind) {
    case 'Fetch':
      if (!node.requires) into.push(node);
      return;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) rootFetches(child, into);
      return;
    case 'Condition':
      rootFetches(node.ifClause, into);
      rootFetches(node.elseClause, into);
      return;
    case 'Defer':
      rootFetches(node.primary.node, into);
      for (const deferred of node.deferred) rootFetches(deferred.node, into);
      return;
    default:
      return;
  }
}

const skippedForGood = (directives: readonly DirectiveNode[] | undefined) =>
  (directives ?? []).some((directive) => {
    const condition = directive.arguments?.find((arg) => arg.name.value === 'if')?.value;
    if (condition?.kind !== Kind.BOOLEAN) return false;
    return directive.name.value === 'skip' ? condition.value : !condition.value;
  });

/**
 * Root fields of the operation that no fetch of the plan asks any subgraph for: the planner
 * found no way to resolve them (a field only a non-resolvable @interfaceObject has, say) and
 * silently planned nothing, which would answer `null` without an error.
 */
export function unplannedRootFields(
  plan: QueryPlan,
  document: DocumentNode,
  operationName?: string | null,
): string[] {
  if (plan.node?.kind === 'Subscription') return [];
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation) return [];
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [],
    ),
  );
  const wanted = new Map<string, string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (skippedForGood(selection.directives)) continue;
      if (selection.kind === Kind.FIELD) {
        if (!ROOT_META_FIELDS.has(selection.name.value)) {
          wanted.set((selection.alias ?? selection.name).value, selection.name.value);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment);
      }
    }
  };
  collect(operation.selectionSet);
  if (wanted.size === 0) return [];
  const fetched = new Set<string>();
  const fetches: FetchNode[] = [];
  rootFetches(plan.node, fetches);
  for (const fetch of fetches) {
    const fetchOperation = parse(fetch.operation).definitions[0] as OperationDefinitionNode;
    for (const selection of fetchOperation.selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fetched.add(selection.name.value);
    }
  }
  return [...wanted].filter(([, name]) => !fetched.has(name)).map(([responseName]) => responseName);
}
