// Part of the plan corrections: whether a plan fetches every root field the operation
// selects. The planner plans nothing for a field it finds no way to resolve.
import type { FetchNode, QueryPlan } from '@apollo/query-planner';
import {
  Kind,
  parse,
  type DirectiveNode,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { forEachFetch } from './plan-walk.js';

const ROOT_META_FIELDS = new Set(['__typename', '__schema', '__type']);

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
  // The fetches at the root of the response, outside any Flatten.
  forEachFetch(plan.node, (fetch, path) => {
    if (path.length === 0 && !fetch.requires) fetches.push(fetch);
  });
  for (const fetch of fetches) {
    const fetchOperation = parse(fetch.operation).definitions[0] as OperationDefinitionNode;
    for (const selection of fetchOperation.selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fetched.add(selection.name.value);
    }
  }
  return [...wanted].filter(([, name]) => !fetched.has(name)).map(([responseName]) => responseName);
}
