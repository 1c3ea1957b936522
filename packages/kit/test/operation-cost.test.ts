// The cost estimate: each field 1, plus its selection times its list size, where the size
// comes from first/last/topK/limit (variables and schema defaults included, also inside an
// input object), from the representations of `_entities`, or from the default list size.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import { estimateCost, MAX_COST_NODES, type CostRequest } from '../src/operation-cost.js';

const schema = buildSchema(`
  type Query {
    items(first: Int = 20): [Item!]!
    latest(last: Int, limit: Int): [Item!]!
    search(input: SearchInput!): [Hit!]!
    page(first: Int = 10): ItemConnection!
    all: [Item!]!
    one: Item
    tags: [String!]!
  }
  input SearchInput {
    text: String!
    topK: Int = 10
  }
  type Hit {
    score: Float!
    item: Item!
  }
  type Item {
    id: ID!
    name: String
    children(first: Int = 5): [Item!]!
    related: [Item!]!
  }
  type ItemConnection {
    nodes: [Item!]!
    totalCount: Int!
  }
`);

const DEFAULT_LIST_SIZE = 10;

function cost(query: string, request: CostRequest = {}, defaultListSize = DEFAULT_LIST_SIZE) {
  const estimate = estimateCost(schema, parse(query), request, { defaultListSize });
  if (estimate.kind !== 'estimated') throw new Error(`not estimated: ${estimate.kind}`);
  return estimate.cost;
}

describe('estimateCost', () => {
  it('counts one per field', () => {
    expect(cost('{ one { id name } }')).toBe(3);
  });

  it('multiplies what a list selects by its first argument', () => {
    expect(cost('{ items(first: 3) { id name } }')).toBe(1 + 3 * 2);
    expect(cost('{ latest(last: 4) { id } }')).toBe(1 + 4);
    expect(cost('{ latest(limit: 6) { id } }')).toBe(1 + 6);
  });

  it("takes the schema's default when the argument is omitted", () => {
    expect(cost('{ items { id } }')).toBe(1 + 20);
  });

  it('reads the size from variables, or from the default when the variable is not given', () => {
    const query = 'query($n: Int) { items(first: $n) { id } }';
    expect(cost(query, { variables: { n: 100 } })).toBe(1 + 100);
    expect(cost(query)).toBe(1 + 20);
  });

  it('reads topK inside an input object, literal, variable or default', () => {
    expect(cost('{ search(input: { text: "x", topK: 1000 }) { score } }')).toBe(1 + 1000);
    expect(
      cost('query($k: Int) { search(input: { text: "x", topK: $k }) { score } }', {
        variables: { k: 7 },
      }),
    ).toBe(1 + 7);
    expect(
      cost('query($input: SearchInput!) { search(input: $input) { score } }', {
        variables: { input: { text: 'x', topK: 50 } },
      }),
    ).toBe(1 + 50);
    expect(cost('{ search(input: { text: "x" }) { score } }')).toBe(1 + 10);
  });

  it('multiplies nested lists', () => {
    expect(cost('{ items(first: 10) { children(first: 10) { id } } }')).toBe(1 + 10 * (1 + 10));
    expect(
      cost(
        '{ search(input: { text: "x", topK: 1000 }) { item { children(first: 1000) { id } } } }',
      ),
    ).toBe(1 + 1000 * (1 + (1 + 1000)));
  });

  it('assumes the default list size for a list that no argument bounds', () => {
    expect(cost('{ all { id } }')).toBe(1 + DEFAULT_LIST_SIZE);
    expect(cost('{ all { id } }', {}, 3)).toBe(1 + 3);
    expect(cost('{ one { related { related { id } } } }', {}, 3)).toBe(1 + (1 + 3 * (1 + 3)));
  });

  it('counts the list of a connection once, by its first argument', () => {
    expect(cost('{ page(first: 10) { nodes { id } totalCount } }')).toBe(1 + 10 * (2 + 1));
  });

  it('counts a list of scalars as one field', () => {
    expect(cost('{ tags }')).toBe(1);
  });

  it('does not count introspection', () => {
    expect(cost('{ __typename one { __typename id } }')).toBe(2);
    expect(cost(getIntrospectionQuery())).toBe(0);
  });

  it('follows fragments and @skip/@include', () => {
    expect(cost('{ ...F } fragment F on Query { items(first: 2) { id } }')).toBe(3);
    expect(
      cost('query($no: Boolean!) { items(first: 5) @include(if: $no) { id } one { id } }', {
        variables: { no: false },
      }),
    ).toBe(2);
  });

  it('estimates the operation named in the request', () => {
    const document = 'query A { one { id } } query B { items(first: 3) { id } }';
    expect(cost(document, { operationName: 'A' })).toBe(2);
    expect(cost(document, { operationName: 'B' })).toBe(4);
  });

  it("multiplies _entities' selection by the number of representations", () => {
    const subgraph = buildSubgraphSchema({
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
        type Item @key(fields: "id") { id: ID! children(first: Int = 5): [Item!]! }
        type Query { one: Item }
      `),
    });
    const query =
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Item { children { id } } } }';
    const representations = [1, 2, 3].map((id) => ({ __typename: 'Item', id: String(id) }));
    const estimate = estimateCost(
      subgraph,
      parse(query),
      { variables: { r: representations } },
      { defaultListSize: DEFAULT_LIST_SIZE },
    );
    expect(estimate).toEqual({ kind: 'estimated', cost: 1 + 3 * (1 + 5) });
  });

  it('leaves an operation that cannot run to execution', () => {
    const options = { defaultListSize: DEFAULT_LIST_SIZE };
    const needsN = parse('query($n: Int!) { items(first: $n) { id } }');
    expect(estimateCost(schema, needsN, {}, options)).toEqual({ kind: 'not-runnable' });
    expect(estimateCost(schema, needsN, { variables: { n: 'ten' } }, options)).toEqual({
      kind: 'not-runnable',
    });
    const named = parse('query A { one { id } }');
    expect(estimateCost(schema, named, { operationName: 'Z' }, options)).toEqual({
      kind: 'not-runnable',
    });
  });

  it('stops at fragments that expand past the node bound', () => {
    // Each fragment spreads the one before twice: 2^12 copies from a few hundred bytes.
    const fragments = ['fragment F0 on Query { one { id } }'];
    for (let i = 1; i <= 12; i += 1) {
      fragments.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
    }
    const bomb = parse(`{ ...F12 } ${fragments.join(' ')}`);
    expect(estimateCost(schema, bomb, {}, { defaultListSize: 10 })).toEqual({
      kind: 'too-many-nodes',
      maxNodes: MAX_COST_NODES,
    });
    // Within a larger bound, each copy counts: the library does not merge identical fields.
    expect(estimateCost(schema, bomb, {}, { defaultListSize: 10, maxNodes: 100_000 })).toEqual({
      kind: 'estimated',
      cost: 2 ** 12 * 2,
    });
  });
});
