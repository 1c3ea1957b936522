// Plans subscription operations with the federation query planner of one supergraph. The
// gateway plans subscriptions (a `Subscription` node: the primary fetch to the owning subgraph
// and an optional `rest`) but refuses to run them; the router runs [primary, rest] per event.
import { Supergraph, operationFromDocument, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type QueryPlan } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema } from 'graphql';

/** The directive a subgraph puts on a subscription field that streams a topic (composed into
 * the supergraph with @composeDirective): identical subscriptions may share one upstream. */
export const TOPIC_DIRECTIVE = 'topic';

/** A subscription operation planned against one supergraph. */
export interface PreparedSubscription {
  primary: FetchNode;
  /** Sequence [primary, rest]: run once per event with primary answered from the event. */
  eventPlan: QueryPlan;
  /** Whether its root field is a @topic: identical subscriptions may share one upstream. */
  topic: boolean;
}

/** The planner of one supergraph; replaced as a whole when a new supergraph loads. */
export class SubscriptionPlanning {
  private readonly planner: QueryPlanner;
  private readonly supergraph: Supergraph;
  readonly apiSchema: Schema;
  readonly supergraphSchema: GraphQLSchema;
  private readonly prepared = new WeakMap<DocumentNode, Map<string, PreparedSubscription>>();

  constructor(supergraphSdl: string) {
    this.supergraph = Supergraph.build(supergraphSdl);
    this.planner = new QueryPlanner(this.supergraph);
    this.apiSchema = this.supergraph.apiSchema();
    this.supergraphSchema = this.supergraph.schema.toGraphQLJSSchema();
  }

  /** Plans the operation (once per parsed document and operation name). */
  prepare(document: DocumentNode, operationName: string | undefined): PreparedSubscription {
    let byName = this.prepared.get(document);
    const cached = byName?.get(operationName ?? '');
    if (cached) return cached;
    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    const { node } = this.planner.buildQueryPlan(operation);
    if (node?.kind !== 'Subscription') {
      throw new Error(`expected a subscription plan, got ${node?.kind ?? 'an empty plan'}`);
    }
    const rootFields = operation
      .expandAllFragments()
      .selectionSet.selections()
      .map((selection) =>
        selection.kind === 'FieldSelection' ? selection.element.definition.name : undefined,
      );
    const subscriptionType = this.supergraph.schema.schemaDefinition.rootType('subscription');
    const prepared: PreparedSubscription = {
      primary: node.primary,
      eventPlan: {
        kind: 'QueryPlan',
        node: node.rest ? { kind: 'Sequence', nodes: [node.primary, node.rest] } : node.primary,
      },
      topic:
        rootFields.length === 1 &&
        (subscriptionType?.field(rootFields[0] ?? '')?.appliedDirectivesOf(TOPIC_DIRECTIVE)
          .length ?? 0) > 0,
    };
    if (!byName) this.prepared.set(document, (byName = new Map()));
    byName.set(operationName ?? '', prepared);
    return prepared;
  }
}
