// Operation limits: what one operation may ask for, checked before anything runs (at the
// router before any subgraph is called, and in every subgraph, which may be reached directly).
// Depth, aliases and directives are graphql-armor's rules and tokens its parser; root fields
// and a cost that knows list sizes (operation-cost.ts) are ours, as armor has neither. A
// refusal is a validation error with code QUERY_TOO_COMPLEX naming the limit and both numbers.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type SelectionSetNode,
  type Source,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codedError } from './errors.js';
import { estimateCost, type CostEstimate } from './operation-cost.js';

export interface OperationLimits {
  /** Nesting of fields. Fragments add no level, so that the router's entity fetches are never
   * deeper than the operation they come from. */
  maxDepth: number;
  maxAliases: number;
  /** Fields selected at the root, aliases included, `__typename` not. */
  maxRootFields: number;
  /** Lexical tokens of the document; parsing stops past it. */
  maxTokens: number;
  maxDirectives: number;
  /** See operation-cost.ts: each field 1, plus its selection times its list size. */
  maxCost: number;
  /** Items assumed for a list field that no `first`/`last`/`topK`/`limit` bounds. */
  defaultListSize: number;
}

/** Calibrated on what the project itself sends: the README's examples cost at most a few
 * hundred, the tests' largest a few thousand (`tools(first: 200)`, a search of `topK: 1000`
 * with a few fields); 50 aliased `similar` fields in one request are a documented pattern
 * (one SQL statement), their work bounded by the cost; GraphiQL's introspection query has
 * under 200 tokens. */
export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 10,
  maxAliases: 50,
  maxRootFields: 10,
  maxTokens: 1_000,
  maxDirectives: 50,
  maxCost: 10_000,
  defaultListSize: 10,
};

/** What a service's config says about operations (ServiceConfig has both). */
export interface OperationLimitSettings {
  limits: OperationLimits;
  /** Whether `__schema` and `__type` may be queried. */
  introspection: boolean;
}

export type OperationLimitName =
  'depth' | 'aliases' | 'rootFields' | 'tokens' | 'directives' | 'cost';

const found: Record<OperationLimitName, (actual: number) => string> = {
  depth: (n) => `The operation's depth is ${n}`,
  aliases: (n) => `The operation uses ${n} aliases`,
  rootFields: (n) => `The operation selects ${n} root fields`,
  tokens: (n) => `The operation has ${n} tokens`,
  directives: (n) => `The operation uses ${n} directives`,
  cost: (n) => `The operation's cost is ${n}`,
};

/** Refusals answer like any other validation failure: 400 for GraphQL-over-HTTP clients. */
const HTTP_VALIDATION_FAILURE = { status: 400, spec: true };

const describeRefusal = (limit: OperationLimitName, max: number, actual: number | null) =>
  actual === null
    ? `The operation is past the ${limit} limit of ${max}.`
    : `${found[limit](actual)}; the limit is ${max}.`;

/** The refusal of one limit: which, its value and what the operation has (`actual`, null
 * where it is past counting). For tokens `actual` is where parsing stopped, the limit plus
 * one: the rest is never read. */
export function operationLimitError(
  limit: OperationLimitName,
  max: number,
  actual: number | null,
  message = describeRefusal(limit, max, actual),
): GraphQLError {
  return codedError('QUERY_TOO_COMPLEX', message, {
    extensions: { limit, max, actual, http: HTTP_VALIDATION_FAILURE },
  });
}

// armor reports "Syntax Error: ... found N." to its reject callbacks; we report our own error.
const FOUND_NUMBER = /found (\d+)/;

function reportAs(limit: OperationLimitName, max: number) {
  return {
    n: max,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const actual = Number(FOUND_NUMBER.exec(error.message)?.[1] ?? max + 1);
        context?.reportError(operationLimitError(limit, max, actual));
      },
    ],
  };
}

function countRootFields(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  seenFragments: Set<string>,
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRootFields(context, selection.selectionSet, seenFragments);
    } else if (!seenFragments.has(selection.name.value)) {
      seenFragments.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += countRootFields(context, fragment.selectionSet, seenFragments);
    }
  }
  return count;
}

/** Root fields of each operation, through fragments (each fragment counted once). Written
 * here: armor has no such rule. */
export function maxRootFieldsRule(max: number): ValidationRule {
  return function MaxRootFields(context) {
    return {
      OperationDefinition(operation) {
        const count = countRootFields(context, operation.selectionSet, new Set());
        if (count > max) context.reportError(operationLimitError('rootFields', max, count));
      },
    };
  };
}

/** graphql's parse, stopped by armor's counting lexer past `max` tokens. */
export function parseWithTokenLimit(max: number) {
  return (source: string | Source, options?: ParseOptions) =>
    new MaxTokensParserWLexer(source, {
      ...options,
      n: max,
      onReject: [
        () => {
          throw operationLimitError(
            'tokens',
            max,
            max + 1,
            `The operation has more than ${max} tokens; the limit is ${max}.`,
          );
        },
      ],
    }).parseDocument();
}

function costRefusal(estimate: CostEstimate, maxCost: number): GraphQLError | undefined {
  switch (estimate.kind) {
    case 'estimated':
      return estimate.cost > maxCost
        ? operationLimitError('cost', maxCost, estimate.cost)
        : undefined;
    case 'too-many-nodes':
      return operationLimitError(
        'cost',
        maxCost,
        null,
        `The operation selects more than ${estimate.maxNodes} fields once its fragments are expanded; its cost is past estimating and the limit is ${maxCost}.`,
      );
    case 'not-runnable':
      return undefined;
  }
}

export interface OperationRequest {
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
}

const isLimitError = (error: GraphQLError) => error.extensions?.code === 'QUERY_TOO_COMPLEX';

/** The checks, apart from any server: a parse with the token limit, validation rules, and the
 * cost of a request added to the other validation errors of its document. */
export function createOperationLimitChecks({ limits, introspection }: OperationLimitSettings) {
  const rules: ValidationRule[] = [
    maxDepthRule({ ...reportAs('depth', limits.maxDepth), flattenFragments: true }),
    maxAliasesRule(reportAs('aliases', limits.maxAliases)),
    maxDirectivesRule(reportAs('directives', limits.maxDirectives)),
    maxRootFieldsRule(limits.maxRootFields),
    ...(introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  return {
    parse: parseWithTokenLimit(limits.maxTokens),
    rules,
    /** `errors` plus the cost refusal, if any: only a document that is otherwise valid (or
     * only past other limits) has a cost. */
    withCost(
      errors: readonly GraphQLError[],
      schema: GraphQLSchema,
      document: DocumentNode,
      request: OperationRequest,
    ): { errors: readonly GraphQLError[]; refusal?: GraphQLError } {
      if (errors.some((error) => !isLimitError(error))) return { errors };
      const refusal = costRefusal(estimateCost(schema, document, request, limits), limits.maxCost);
      return refusal ? { errors: [...errors, refusal], refusal } : { errors };
    },
  };
}

/** Every refusal of one document, as a server would give it, for tests and tooling; other
 * validation errors of the document come with them. */
export function checkOperationLimits(
  schema: GraphQLSchema,
  source: string,
  settings: OperationLimitSettings,
  request: OperationRequest = {},
): readonly GraphQLError[] {
  const checks = createOperationLimitChecks(settings);
  let document: DocumentNode;
  try {
    document = checks.parse(source);
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  const errors = validate(schema, document, [...specifiedRules, ...checks.rules]);
  return checks.withCost(errors, schema, document, request).errors;
}

/** The yoga plugin: the limits for HTTP, SSE and graphql-ws alike (websocket.ts parses and
 * validates through the same enveloped functions). */
export function useOperationLimits(settings: OperationLimitSettings): Plugin {
  const checks = createOperationLimitChecks(settings);
  // yoga caches validation results by document, but a cost depends on the variables: a cost
  // refusal is never taken from the cache (it is dropped and the cost estimated again).
  const costRefusals = new WeakSet<GraphQLError>();
  return {
    onParse({ setParseFn }) {
      setParseFn(checks.parse);
    },
    onValidate({ addValidationRule, params, context }) {
      for (const rule of checks.rules) addValidationRule(rule);
      return ({ result, setResult }) => {
        const request = (context as { params?: OperationRequest }).params ?? {};
        const uncached = result.filter((error) => !costRefusals.has(error));
        const { errors, refusal } = checks.withCost(
          uncached,
          params.schema,
          params.documentAST,
          request,
        );
        if (refusal) costRefusals.add(refusal);
        setResult([...errors]);
      };
    },
  };
}
