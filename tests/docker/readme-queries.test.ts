// Every GraphQL example in the README is valid against the composed supergraph's API schema
// and within the default operation limits, so the documentation cannot drift from what the
// router serves and accepts.
import { Supergraph } from '@apollo/federation-internals';
import { DEFAULT_OPERATION_LIMITS, checkOperationLimits, estimateCost } from '@supergraph/kit';
import {
  Kind,
  parse,
  print,
  validate,
  type DocumentNode,
  type OperationDefinitionNode,
  type TypeNode,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { SUPERGRAPH_FILE } from '../../schema/compose.js';
import { readText } from './services.js';

const schema = Supergraph.build(readFileSync(SUPERGRAPH_FILE, 'utf8'))
  .apiSchema()
  .toGraphQLJSSchema();
const blocks = [...readText('README.md').matchAll(/```graphql\n([\s\S]*?)```/g)].map(
  (match) => match[1]!,
);

/** Stand-in values for an example's variables, so that its cost can be estimated. */
const PLACEHOLDERS: Record<string, unknown> = { ID: 'id', String: 'text', Int: 1, Boolean: true };

function placeholderOf(type: TypeNode): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) return placeholderOf(type.type);
  if (type.kind === Kind.LIST_TYPE) return [placeholderOf(type.type)];
  const value = PLACEHOLDERS[type.name.value];
  if (value === undefined) throw new Error(`no placeholder for a variable of ${type.name.value}`);
  return value;
}

/** Each operation of a block on its own, with the block's fragments. */
function operationsOf(block: string) {
  const { definitions } = parse(block);
  const fragments = definitions.filter((node) => node.kind === Kind.FRAGMENT_DEFINITION);
  return definitions
    .filter((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => ({
      document: { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] } as DocumentNode,
      variables: Object.fromEntries(
        (operation.variableDefinitions ?? []).map((definition) => [
          definition.variable.name.value,
          placeholderOf(definition.type),
        ]),
      ),
    }));
}

describe('README GraphQL examples', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((block, i) => [i, block]))(
    'example %i is valid against the supergraph',
    (_i, block) => {
      // A block may hold several operations; each is checked on its own.
      for (const { document } of operationsOf(block as string)) {
        const errors = validate(schema, document);
        expect(errors.map((error) => error.message)).toEqual([]);
      }
    },
  );

  it.each(blocks.map((block, i) => [i, block]))(
    'example %i is within the default operation limits',
    (_i, block) => {
      for (const { document, variables } of operationsOf(block as string)) {
        const settings = { limits: DEFAULT_OPERATION_LIMITS, introspection: false };
        const errors = checkOperationLimits(schema, print(document), settings, { variables });
        expect(errors.map((error) => error.message)).toEqual([]);
        // The placeholders fit: the cost was estimated, not left to execution.
        const estimate = estimateCost(schema, document, { variables }, DEFAULT_OPERATION_LIMITS);
        expect(estimate.kind).toBe('estimated');
      }
    },
  );
});
