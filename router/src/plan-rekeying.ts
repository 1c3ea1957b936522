// A plan correction: an entity fetch whose representations carry only keys that the target
// subgraph declares `resolvable: false` (the planner picks such a key when it has several) is
// rekeyed on one the subgraph can resolve, whose fields the fetch producing the entities adds.
import type { FetchNode, PlanNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import {
  Kind,
  parse,
  print,
  visit,
  type DirectiveNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import {
  collectDependents,
  forEachFetch,
  selectionSetsForPath,
  type Dependent,
} from './plan-walk.js';

export interface KeyContext {
  /** `subgraph.Type` → its keys, resolvable or not. */
  keys: Map<string, { fields: SelectionSetNode; resolvable: boolean }[]>;
  /** `Type.field` → the subgraphs that resolve it (not @external there). */
  fieldGraphs: Map<string, Set<string>>;
}

const argument = (directive: DirectiveNode, name: string) =>
  directive.arguments?.find((arg) => arg.name.value === name)?.value;

/** Reads the keys and field ownership of the supergraph's join directives. */
export function keyContext(supergraphSdl: string): KeyContext {
  const document = parse(supergraphSdl);
  const graphNames = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph')
      continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((d) => d.name.value === 'join__graph');
      const name = graph && argument(graph, 'name');
      if (name?.kind === Kind.STRING) graphNames.set(value.name.value, name.value);
    }
  }
  const graphOf = (directive: DirectiveNode) => {
    const graph = argument(directive, 'graph');
    return graph?.kind === Kind.ENUM ? graphNames.get(graph.value) : undefined;
  };
  const keys: KeyContext['keys'] = new Map();
  const fieldGraphs: KeyContext['fieldGraphs'] = new Map();
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
    )
      continue;
    const typeName = definition.name.value;
    const typeGraphs = new Set<string>();
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'join__type') continue;
      const graph = graphOf(directive);
      if (!graph) continue;
      typeGraphs.add(graph);
      const key = argument(directive, 'key');
      if (key?.kind !== Kind.STRING) continue;
      const resolvable = argument(directive, 'resolvable');
      const fields = (parse(`{ ${key.value} }`).definitions[0] as OperationDefinitionNode)
        .selectionSet;
      const list = keys.get(`${graph}.${typeName}`) ?? [];
      list.push({ fields, resolvable: !(resolvable?.kind === Kind.BOOLEAN && !resolvable.value) });
      keys.set(`${graph}.${typeName}`, list);
    }
    for (const field of definition.fields ?? []) {
      const joins = (field.directives ?? []).filter((d) => d.name.value === 'join__field');
      const graphs = new Set<string>();
      if (joins.length === 0) for (const graph of typeGraphs) graphs.add(graph);
      for (const join of joins) {
        const external = argument(join, 'external');
        const graph = graphOf(join);
        if (graph && !(external?.kind === Kind.BOOLEAN && external.value)) graphs.add(graph);
      }
      fieldGraphs.set(`${typeName}.${field.name.value}`, graphs);
    }
  }
  return { keys, fieldGraphs };
}

/** Whether the requires' selections (plan form) contain every field of `key`. */
function covers(selections: readonly QueryPlanSelectionNode[], key: SelectionSetNode): boolean {
  return key.selections.every((selection) => {
    if (selection.kind !== Kind.FIELD) return false;
    const found = selections.find(
      (candidate) =>
        candidate.kind === 'Field' && !candidate.alias && candidate.name === selection.name.value,
    );
    if (!found || found.kind !== 'Field') return false;
    return !selection.selectionSet || covers(found.selections ?? [], selection.selectionSet);
  });
}

/** `key` merged into requires selections (plan form). */
function withKey(
  selections: readonly QueryPlanSelectionNode[],
  key: SelectionSetNode,
): QueryPlanSelectionNode[] {
  const merged = [...selections];
  for (const selection of key.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const index = merged.findIndex(
      (candidate) =>
        candidate.kind === 'Field' && !candidate.alias && candidate.name === selection.name.value,
    );
    const existing = merged[index];
    if (existing?.kind === 'Field') {
      if (selection.selectionSet) {
        merged[index] = {
          ...existing,
          selections: withKey(existing.selections ?? [], selection.selectionSet),
        };
      }
    } else {
      merged.push({
        kind: 'Field',
        name: selection.name.value,
        ...(selection.selectionSet ? { selections: withKey([], selection.selectionSet) } : {}),
      });
    }
  }
  return merged;
}

/** `key` merged into a selection set of the producing fetch (AST form). */
function mergeInto(selectionSet: SelectionSetNode, key: SelectionSetNode): SelectionSetNode {
  const selections: SelectionNode[] = [...selectionSet.selections];
  for (const selection of key.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const index = selections.findIndex(
      (candidate) =>
        candidate.kind === Kind.FIELD &&
        !candidate.alias &&
        candidate.name.value === selection.name.value,
    );
    const existing = selections[index] as FieldNode | undefined;
    if (existing) {
      if (selection.selectionSet && existing.selectionSet) {
        selections[index] = {
          ...existing,
          selectionSet: mergeInto(existing.selectionSet, selection.selectionSet),
        };
      }
    } else selections.push(selection);
  }
  return { ...selectionSet, selections };
}

const pathKey = (path: readonly (string | number)[]) => path.join('.');

interface Rekeying {
  dependent: Dependent;
  typeName: string;
  key: SelectionSetNode;
}

function findRekeyings(dependents: Dependent[], ctx: KeyContext): Rekeying[] {
  const found: Rekeying[] = [];
  for (const dependent of dependents) {
    for (const selection of dependent.fetch.requires ?? []) {
      if (selection.kind !== 'InlineFragment' || !selection.typeCondition) continue;
      const keys = ctx.keys.get(`${dependent.fetch.serviceName}.${selection.typeCondition}`);
      const resolvable = keys?.filter((key) => key.resolvable) ?? [];
      if (resolvable.length === 0) continue;
      if (resolvable.some((key) => covers(selection.selections, key.fields))) continue;
      found.push({ dependent, typeName: selection.typeCondition, key: resolvable[0]!.fields });
    }
  }
  return found;
}

/**
 * Rekeys the plan's entity fetches whose representations hold no key their subgraph can
 * resolve. Only when a fetch producing the entities belongs to a subgraph that resolves the
 * new key's fields: that fetch selects them too, and the dependent fetch's `requires` reads
 * them. Idempotent; returns the node itself when nothing changes.
 */
export function rekeyEntityFetches(node: PlanNode, ctx: KeyContext): PlanNode {
  const dependents: Dependent[] = [];
  collectDependents(node, dependents);
  const rekeyings = findRekeyings(dependents, ctx);
  if (rekeyings.length === 0) return node;
  const operations = new Map<FetchNode, string>();
  const satisfied = new Set<Rekeying>();
  const provides = (graph: string, rekeying: Rekeying) =>
    rekeying.key.selections.every(
      (selection) =>
        selection.kind === Kind.FIELD &&
        ctx.fieldGraphs.get(`${rekeying.typeName}.${selection.name.value}`)?.has(graph),
    );
  forEachFetch(node, (current, fetchPath) => {
    for (const rekeying of rekeyings) {
      // A fetch of the same entities (same path) adds fields to them; the one that
      // produced them selected them at a longer path within its own result.
      const samePath = pathKey(fetchPath) === pathKey(rekeying.dependent.flatten.path);
      if (samePath || !provides(current.serviceName, rekeying)) continue;
      const document = parse(operations.get(current) ?? current.operation);
      const operation = document.definitions[0] as OperationDefinitionNode;
      const targets = new Set(
        selectionSetsForPath(operation, current, fetchPath, rekeying.dependent.flatten.path),
      );
      if (targets.size === 0) continue;
      const rewritten = visit(document, {
        SelectionSet: (set) => (targets.has(set) ? mergeInto(set, rekeying.key) : undefined),
      });
      operations.set(current, print(rewritten));
      satisfied.add(rekeying);
    }
  });
  if (satisfied.size === 0) return node;
  const rewrite = (current: PlanNode): PlanNode => {
    switch (current.kind) {
      case 'Sequence':
      case 'Parallel':
        return { ...current, nodes: current.nodes.map(rewrite) };
      case 'Flatten':
        return { ...current, node: rewrite(current.node) };
      case 'Condition':
        return {
          ...current,
          ifClause: current.ifClause && rewrite(current.ifClause),
          elseClause: current.elseClause && rewrite(current.elseClause),
        };
      case 'Defer':
        return current;
      case 'Fetch': {
        let fetch: FetchNode = current;
        const operation = operations.get(current);
        if (operation) fetch = { ...fetch, operation, operationDocumentNode: undefined };
        for (const rekeying of satisfied) {
          if (rekeying.dependent.fetch !== current) continue;
          fetch = {
            ...fetch,
            requires: fetch.requires?.map((selection) =>
              selection.kind === 'InlineFragment' && selection.typeCondition === rekeying.typeName
                ? { ...selection, selections: withKey(selection.selections, rekeying.key) }
                : selection,
            ),
          };
        }
        return fetch;
      }
    }
  };
  return rewrite(node);
}
