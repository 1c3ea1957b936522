// Part of the plan corrections: a field that entities at one path need with different
// arguments for different @requires is fetched once per variant under an alias, and the
// dependent fetch is split so that each representation carries the variant its fields need.
import type {
  FetchDataRewrite,
  FetchNode,
  PlanNode,
  QueryPlanFieldNode,
  QueryPlanSelectionNode,
} from '@apollo/query-planner';
import {
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import type { CorrectionContext, RequiredWithArguments } from './plan-corrections.js';
import { collectDependents, selectionSetsForPath, type Dependent } from './plan-walk.js';

/** A required field with arguments is fetched under this prefix + name + '_' + variant. */
export const REQUIRED_ALIAS_PREFIX = '_fr_';

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

/** The plan node with conflicting required variants separated; the node itself if none. */
export function separateRequiredVariants(node: PlanNode, ctx: CorrectionContext): PlanNode {
  if (ctx.requirements.size === 0) return node;
  const dependents: Dependent[] = [];
  collectDependents(node, dependents);
  const conflicts = findConflicts(dependents, ctx);
  return conflicts.length ? rewriteNode(node, conflicts, ctx) : node;
}
