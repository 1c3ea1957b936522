// Corrections to what @apollo/query-planner 2.14 gets wrong, applied around planning: fields
// that a @requires asks for with arguments (the planner merges same-named fields and loses
// arguments) and keys a subgraph cannot resolve; plan-coverage.ts finds root fields a plan
// cannot fetch at all. Pure functions; plans are cached, so nothing here mutates its input.
import type { QueryPlan } from '@apollo/query-planner';
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
} from 'graphql';
import { keyContext, rekeyEntityFetches, type KeyContext } from './plan-rekeying.js';
import { separateRequiredVariants } from './plan-required-arguments.js';

/** A client field aliased to this prefix + its name while planning (see prepareOperation). */
export const CLIENT_ALIAS_PREFIX = '_fc_';

export interface RequiredWithArguments {
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
 * required arguments. The executor answers them under their own name (plan-executor.ts).
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
  const node = separateRequiredVariants(rekeyEntityFetches(plan.node, ctx.keys), ctx);
  return node === plan.node ? plan : { ...plan, node };
}
