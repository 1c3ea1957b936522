// Runs the query plans of @apollo/query-planner: the router's own executor, in place of the
// gateway's `executeQueryPlan`, for queries, mutations and subscription events alike. The
// planner and the supergraph handling stay Apollo's; what is ours is the part that costs
// under load: fetches go straight to the data sources (no per-node telemetry objects), and
// the response is completed along a shape compiled once per document (response-shape.ts,
// response-completion.ts) instead of re-derived from the operation on every request.
import type {
  FetchNode,
  PlanNode,
  QueryPlanSelectionNode,
  SubscriptionNode,
} from '@apollo/query-planner';
import { applyRewrites, isObjectOfType } from '@apollo/gateway/dist/dataRewrites.js';
import { generateHydratedPaths } from '@apollo/gateway/dist/executeQueryPlan.js';
import { deepMerge } from '@apollo/gateway/dist/utilities/deepMerge.js';
import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { SubgraphRequest, SubgraphResponse } from './data-source.js';
import { completeResponse } from './response-completion.js';
import type { Data, PreparedOperation } from './response-shape.js';

type Path = (string | number)[];

/** Sends one fetch of a plan to its subgraph; never throws (failures are coded errors). */
export type Fetcher = (
  serviceName: string,
  request: SubgraphRequest,
  fetch: FetchNode,
) => Promise<SubgraphResponse>;

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
    return completeResponse(
      {
        api: this.schemas.api,
        prepared: this.request.prepared,
        variables: this.request.variables,
        document: this.request.document,
        errors: this.errors,
        errorPaths: this.errorPaths,
      },
      this.root,
    );
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
