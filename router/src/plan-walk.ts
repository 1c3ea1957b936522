// Walks over query plans shared by the plan corrections: the entity fetches that depend on
// earlier ones, and the selection sets a fetch's operation has at a response path.
import type { FetchNode, PlanNode } from '@apollo/query-planner';
import { Kind, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

export interface Dependent {
  flatten: { path: (string | number)[] };
  fetch: FetchNode;
}

/** Calls `visit` with every fetch of the plan and the Flatten path it runs at ([] for the
 * fetches at the root of the response). */
export function forEachFetch(
  node: PlanNode | undefined,
  visit: (fetch: FetchNode, path: readonly (string | number)[]) => void,
  path: readonly (string | number)[] = [],
): void {
  if (!node) return;
  switch (node.kind) {
    case 'Fetch':
      visit(node, path);
      return;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) forEachFetch(child, visit, path);
      return;
    case 'Flatten':
      forEachFetch(node.node, visit, node.path);
      return;
    case 'Condition':
      forEachFetch(node.ifClause, visit, path);
      forEachFetch(node.elseClause, visit, path);
      return;
    case 'Defer':
      forEachFetch(node.primary.node, visit, path);
      for (const deferred of node.deferred) forEachFetch(deferred.node, visit, path);
      return;
    default:
      return;
  }
}

/** The entity fetches of the plan (those with `requires`), with their Flatten paths. */
export function collectDependents(node: PlanNode | undefined, into: Dependent[]) {
  forEachFetch(node, (fetch, path) => {
    if (fetch.requires) into.push({ flatten: { path: [...path] }, fetch });
  });
}

export /** Selection sets of `selectionSet` reached by following `path` (field response names). */
function selectionSetsAt(selectionSet: SelectionSetNode, path: string[]): SelectionSetNode[] {
  if (path.length === 0) return [selectionSet];
  const [head, ...rest] = path;
  const found: SelectionSetNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      found.push(...selectionSetsAt(selection.selectionSet, path));
    } else if (
      selection.kind === Kind.FIELD &&
      (selection.alias ?? selection.name).value === head &&
      selection.selectionSet
    ) {
      found.push(...selectionSetsAt(selection.selectionSet, rest));
    }
  }
  return found;
}

/**
 * The selection sets in a fetch's parsed operation where it selects the entities at
 * `targetPath` (a Flatten path; `@` for list items), given the fetch's own Flatten path.
 */
export function selectionSetsForPath(
  operation: OperationDefinitionNode,
  fetch: FetchNode,
  fetchPath: readonly (string | number)[],
  targetPath: readonly (string | number)[],
): SelectionSetNode[] {
  const target = targetPath.map(String).filter((segment) => segment !== '@');
  const own = fetchPath.map(String).filter((segment) => segment !== '@');
  if (own.length > target.length || own.some((segment, i) => target[i] !== segment)) return [];
  let start = operation.selectionSet;
  if (fetch.requires) {
    const entities = start.selections.find(
      (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === '_entities',
    );
    if (!entities?.selectionSet) return [];
    start = entities.selectionSet;
  }
  return selectionSetsAt(start, target.slice(own.length));
}
