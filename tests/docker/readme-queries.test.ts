// Every GraphQL example in the README is valid against the composed supergraph's API schema,
// so the documentation cannot drift from what the router serves.
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate } from 'graphql';
import { readFileSync } from 'node:fs';
import { SUPERGRAPH_FILE } from '../../schema/compose.js';
import { readText } from './services.js';

const schema = Supergraph.build(readFileSync(SUPERGRAPH_FILE, 'utf8'))
  .apiSchema()
  .toGraphQLJSSchema();
const blocks = [...readText('README.md').matchAll(/```graphql\n([\s\S]*?)```/g)].map(
  (match) => match[1]!,
);

describe('README GraphQL examples', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((block, i) => [i, block]))(
    'example %i is valid against the supergraph',
    (_i, block) => {
      // A block may hold several operations; each is checked on its own.
      const document = parse(block as string);
      for (const definition of document.definitions) {
        const errors = validate(schema, { kind: document.kind, definitions: [definition] });
        expect(errors.map((error) => error.message)).toEqual([]);
      }
    },
  );
});
