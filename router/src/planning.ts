// Plans operations with the federation query planner of one supergraph, once per parsed
// document and operation name; replaced as a whole when a new supergraph loads. Queries and
// mutations run their plan as it is (plan-executor.ts). The gateway plans subscriptions (a
// `Subscription` node: the primary fetch to the owning subgraph and an optional `rest`) but
// refuses to run them; the router runs [primary, rest] per event.
import type { ApolloGateway } from '@apollo/gateway';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { FetchNode, QueryPlan, QueryPlanner } from '@apollo/query-planner';
import { getOperationAST, type DocumentNode, type GraphQLSchema } from 'graphql';
import {
  CLIENT_ALIAS_PREFIX,
  correctionContext,
  correctQueryPlan,
  prepareOperation,
  type CorrectionContext,
} from './plan-corrections.js';
import { unplannedRootFields } from './plan-coverage.js';
import type { PlanSchemas } from './plan-executor.js';
import { PreparedOperation } from './response-shape.js';

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
  supergraphSdl?: string;
  apiSchema?: Schema;
  schema?: GraphQLSchema;
  supergraphSchema?: GraphQLSchema;
}

/** The planner of one supergraph. */
export class Planning {
  private readonly planner: QueryPlanner;
  readonly apiSchema: Schema;
  readonly schemas: PlanSchemas;
  /** Where the planner's plans need correcting (plan-corrections.ts). */
  private readonly corrections: CorrectionContext;
  private readonly prepared = new WeakMap<DocumentNode, Map<string, PreparedOperation>>();
  private readonly subscriptions = new WeakMap<DocumentNode, Map<string, PreparedSubscription>>();

  constructor(parts: {
    planner: QueryPlanner;
    apiSchema: Schema;
    schemas: PlanSchemas;
    supergraphSdl: string;
  }) {
    this.planner = parts.planner;
    this.apiSchema = parts.apiSchema;
    this.schemas = parts.schemas;
    this.corrections = correctionContext(parts.supergraphSdl, parts.schemas.supergraph);
  }

  /** The planning of the supergraph the gateway has just loaded (onSchemaLoadOrUpdate). */
  static ofGateway(gateway: ApolloGateway): Planning {
    const { queryPlanner, apiSchema, schema, supergraphSchema, supergraphSdl } =
      gateway as unknown as GatewayInternals;
    if (!queryPlanner || !apiSchema || !schema || !supergraphSchema || !supergraphSdl) {
      throw new Error('@apollo/gateway no longer exposes its planner: check its version pin');
    }
    return new Planning({
      planner: queryPlanner,
      apiSchema,
      schemas: { api: schema, supergraph: supergraphSchema },
      supergraphSdl,
    });
  }

  /** Plans a query or mutation (once per parsed document and operation name), corrected
   * where the planner gets it wrong (plan-corrections.ts). */
  prepare(document: DocumentNode, operationName: string | undefined): PreparedOperation {
    let byName = this.prepared.get(document);
    const cached = byName?.get(operationName ?? '');
    if (cached) return cached;
    // Client fields that share a name with a field some @requires asks for with arguments
    // are planned under an alias; the executor answers them under their own name.
    const planned = prepareOperation(document, this.schemas.api, this.corrections);
    const definition = getOperationAST(planned, operationName);
    if (!definition) throw new PlanningError('The document has no operation of that name.');
    const operation = operationFromDocument(this.apiSchema, planned, { operationName });
    const plan = correctQueryPlan(this.planner.buildQueryPlan(operation), this.corrections);
    const prepared = new PreparedOperation(plan, definition, planned, this.schemas.api, {
      clientAliasPrefix: planned === document ? undefined : CLIENT_ALIAS_PREFIX,
      unplannedRootFields: unplannedRootFields(plan, planned, operationName),
    });
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
}
