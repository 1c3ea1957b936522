// completeData: value completion of merged data as the GraphQL spec has it, for an executor
// that merges subgraph answers itself.
import { GraphQLError, buildSchema, parse } from 'graphql';
import { completeData } from '../src/result-completion.js';

const schema = buildSchema(`
  type Query { b: B other: String node: Node }
  type B { id: ID! a: [A!]! maybe: [A] }
  type A implements Node { id: ID! name: String! }
  interface Node { id: ID! }
`);

const complete = (query: string, data: Record<string, unknown>, errors: GraphQLError[] = []) =>
  completeData({ schema, document: parse(query), data, errors, variables: { no: false } });

describe('completeData', () => {
  it('keeps only what the operation selects, in its order, with aliases and fragments', () => {
    const result = complete(
      '{ node { __typename ... on A { name } id } other x: other @include(if: $no) }',
      { other: 'o', node: { __typename: 'A', id: '1', name: 'n', extra: true }, leftover: 1 },
    );
    expect(result).toEqual({
      data: { node: { __typename: 'A', name: 'n', id: '1' }, other: 'o' },
      errors: [],
    });
    expect(Object.keys(result.data!.node as object)).toEqual(['__typename', 'name', 'id']);
  });

  it('nulls the nearest nullable parent of a null non-null field and reports it with its path', () => {
    const result = complete('{ b { id a { id name } } other }', {
      b: {
        id: '1',
        a: [
          { id: '1', name: 'n' },
          { id: '2', name: null },
        ],
      },
      other: 'o',
    });
    expect(result.data).toEqual({ b: null, other: 'o' });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toBe('Cannot return null for non-nullable field A.name.');
    expect(result.errors[0]!.path).toEqual(['b', 'a', 1, 'name']);
    expect(result.errors[0]!.extensions['code']).toBe('RESPONSE_VALIDATION_FAILED');
  });

  it('stops at a nullable list item', () => {
    const result = complete('{ b { maybe { name } } }', {
      b: { maybe: [{ name: 'x' }, { name: null }] },
    });
    expect(result.data).toEqual({ b: { maybe: [{ name: 'x' }, null] } });
    expect(result.errors.map((error) => error.path)).toEqual([['b', 'maybe', 1, 'name']]);
  });

  it('answers data: null when the null reaches a non-null root field', () => {
    const nonNullRoot = buildSchema('type Query { b: B! } type B { id: ID! }');
    const result = completeData({
      schema: nonNullRoot,
      document: parse('{ b { id } }'),
      data: { b: { id: null } },
    });
    expect(result.data).toBeNull();
    expect(result.errors.map((error) => error.path)).toEqual([['b', 'id']]);
  });

  it('adds no second error where a subgraph already reported one', () => {
    const fromSubgraph = new GraphQLError('the subgraph failed', { path: ['b', 'a', 0, 'name'] });
    const result = complete('{ b { a { name } } }', { b: { a: [{ name: null }] } }, [fromSubgraph]);
    expect(result.data).toEqual({ b: null });
    expect(result.errors).toEqual([fromSubgraph]);
  });
});
