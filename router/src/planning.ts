// Plans operations with the federation query planner of one supergraph, once per parsed
// document and operation name; replaced as a whole when a new supergraph loads. Queries and
// mutations run their plan as it is (plan-executor.ts). The gateway plans subscriptions (a
// `Subscription` node: the primary fetch to the owning subgraph and an optional `rest`) but
// refuses to run them; the router runs [primary, rest] per event.
import type { ApolloGateway } from '@apollo/gateway';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { FetchNode, QueryPlan, QueryPlanner } from '@apollo/query-planner';
import { getOperationAST, type DocumentNode, type GraphQLSchema } from 'graphql';
import { PreparedOperation, type PlanSchemas } from './plan-executor.js';

/** The directive a subgraph puts on a subscription field that streams a topic (composed into
 * the supergraph with @composeDirective): identical subscriptions may share one upstream. */
export const TOPIC_DIRECTIVE = 'topic';

/** A subscription operation planned against one supergraph. */
export interface PreparedSubscription {
  primary: FetchNode;
  /** Sequence [primary, rest], shaped as the subscription's response: run once per event
   * with the primary fetch answered from the event. */
  event: PreparedOperation;
  /** Whether its root field is a @topic: identical subscriptions may share one upstream. */
  topic: boolean;
}

/** An operation the planner could not plan: the message says why. */
export class PlanningError extends Error {}

/** What the gateway builds of each supergraph it loads (fields of @apollo/gateway 2.14 that
 * its types keep private): reused rather than built a second time, which would add about a
 * second and tens of MB to every router start. */
interface GatewayInternals {
  queryPlanner?: QueryPlanner;
  apiSchema?: Schema;
  schema?: GraphQLSchema;
  supergraphSchema?: GraphQLSchema;
}

/** The planner of one supergraph. */
export class Planning {
  private readonly planner: QueryPlanner;
  readonly apiSchema: Schema;
  readonly schemas: PlanSchemas;
  private readonly prepared = new WeakMap<DocumentNode, Map<string, PreparedOperation>>();
  private readonly subscriptions = new WeakMap<DocumentNode, Map<string, PreparedSubscription>>();

  constructor(parts: { planner: QueryPlanner; apiSchema: Schema; schemas: PlanSchemas }) {
    this.planner = parts.planner;
    this.apiSchema = parts.apiSchema;
    this.schemas = parts.schemas;
  }

  /** The planning of the supergraph the gateway has just loaded (onSchemaLoadOrUpdate). */
  static ofGateway(gateway: ApolloGateway): Planning {
    const { queryPlanner, apiSchema, schema, supergraphSchema } =
      gateway as unknown as GatewayInternals;
    if (!queryPlanner || !apiSchema || !schema || !supergraphSchema) {
      throw new Error('@apollo/gateway no longer exposes its planner: check its version pin');
    }
    return new Planning({
      planner: queryPlanner,
      apiSchema,
      schemas: { api: schema, supergraph: supergraphSchema },
    });
  }

  get apiGraphQLSchema(): GraphQLSchema {
    return this.schemas.api;
  }

  /** Plans a query or mutation (once per parsed document and operation name). */
  prepare(document: DocumentNode, operationName: string | undefined): PreparedOperation {
    let byName = this.prepared.get(document);
    const cached = byName?.get(operationName ?? '');
    if (cached) return cached;
    const definition = getOperationAST(document, operationName);
    if (!definition) throw new PlanningError('The document has no operation of that name.');
    const plan = this.plan(document, operationName);
    const prepared = new PreparedOperation(plan, definition, document, this.schemas.api);
    if (!byName) this.prepared.set(document, (byName = new Map()));
    byName.set(operationName ?? '', prepared);
    return prepared;
  }

  /** Plans a subscription (once per parsed document and operation name). */
  prepareSubscription(
    document: DocumentNode,
    operationName: string | undefined,
  ): PreparedSubscription {
    let byName = this.subscriptions.get(document);
    const cached = byName?.get(operationName ?? '');
    if (cached) return cached;
    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    const { node } = this.planner.buildQueryPlan(operation);
    if (node?.kind !== 'Subscription') {
      throw new PlanningError(`expected a subscription plan, got ${node?.kind ?? 'an empty plan'}`);
    }
    const rootFields = operation
      .expandAllFragments()
      .selectionSet.selections()
      .map((selection) =>
        selection.kind === 'FieldSelection' ? selection.element.definition.name : undefined,
      );
    const rootField = this.schemas.supergraph.getSubscriptionType()?.getFields()[
      rootFields[0] ?? ''
    ];
    const eventPlan: QueryPlan = {
      kind: 'QueryPlan',
      node: node.rest ? { kind: 'Sequence', nodes: [node.primary, node.rest] } : node.primary,
    };
    const prepared: PreparedSubscription = {
      primary: node.primary,
      event: new PreparedOperation(
        eventPlan,
        getOperationAST(document, operationName)!,
        document,
        this.schemas.api,
      ),
      topic:
        rootFields.length === 1 &&
        (rootField?.astNode?.directives ?? []).some(
          (directive) => directive.name.value === TOPIC_DIRECTIVE,
        ),
    };
    if (!byName) this.subscriptions.set(document, (byName = new Map()));
    byName.set(operationName ?? '', prepared);
    return prepared;
  }

  private plan(document: DocumentNode, operationName: string | undefined): QueryPlan {
    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    return this.planner.buildQueryPlan(operation);
  }
}
