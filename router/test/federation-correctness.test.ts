// Cases of The Guild's federation-gateway-audit that plain @apollo/gateway 2.14 answers
// wrongly, each on a small supergraph of its own (federation-cases.ts): the router must answer
// them as the audit expects.
import { composeServices } from '@apollo/composition';
import {
  Supergraph as FederationSupergraph,
  operationFromDocument,
} from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { graphql } from '@supergraph/kit/testing';
import { parse } from 'graphql';
import { correctionContext, correctQueryPlan } from '../src/plan-corrections.js';
import {
  feedSupergraph,
  keysSupergraph,
  nodeSupergraph,
  shippingSupergraph,
} from './federation-cases.js';
import { startSupergraph, type Supergraph } from './federation-fixtures.js';

jest.setTimeout(60_000);

const FEED = {
  feed: [
    { author: { id: 'a2' }, comments: [{ id: 'c1' }] },
    { author: { id: 'a1' }, comments: [{ id: 'c4' }] },
  ],
};

describe('@requires with arguments next to the client’s own arguments (requires-with-argument)', () => {
  let supergraph: Supergraph;
  beforeAll(async () => void (supergraph = await startSupergraph(feedSupergraph)));
  afterAll(() => supergraph.close());

  it('gives the client the comments it asked for with a literal, and the author from 3', async () => {
    const result = await graphql(supergraph.url, {
      query: '{ feed { author { id } comments(limit: 1) { id } } }',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(FEED);
  });

  it('does so with a variable', async () => {
    const result = await graphql(supergraph.url, {
      query: 'query ($limit: Int = 1) { feed { author { id } comments(limit: $limit) { id } } }',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(FEED);
  });

  it('does so inside fragments', async () => {
    const result = await graphql(supergraph.url, {
      query: `query ($limit: Int = 1) { feed { author { id } ...Foo ...Bar } }
        fragment Foo on Post { comments(limit: $limit) { id } }
        fragment Bar on Post { comments(limit: $limit) { id } }`,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(FEED);
  });

  it('leaves a query without the requiring field as it was', async () => {
    const result = await graphql(supergraph.url, {
      query: '{ feed { comments(limit: 2) { id authorId } } }',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      feed: [
        {
          comments: [
            { id: 'c1', authorId: 'a1' },
            { id: 'c2', authorId: 'a1' },
          ],
        },
        {
          comments: [
            { id: 'c4', authorId: 'a2' },
            { id: 'c5', authorId: 'a2' },
          ],
        },
      ],
    });
  });
});

describe('one field required with two different arguments (requires-with-argument-conflict)', () => {
  let supergraph: Supergraph;
  beforeAll(async () => void (supergraph = await startSupergraph(shippingSupergraph)));
  afterAll(() => supergraph.close());

  it('computes each estimate from the price in its own currency', async () => {
    const result = await graphql(supergraph.url, {
      query: '{ products { upc name shippingEstimate shippingEstimateEUR } }',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      products: [
        { upc: 'p1', name: 'p-name-1', shippingEstimate: 110, shippingEstimateEUR: 220 },
        { upc: 'p2', name: 'p-name-2', shippingEstimate: 440, shippingEstimateEUR: 880 },
      ],
    });
    // Each currency was asked of the catalog, once.
    expect(supergraph.sent['catalog']!.at(-1)).toMatch(/price\(currency: ?"USD"\)/);
    expect(supergraph.sent['catalog']!.at(-1)).toMatch(/price\(currency: ?"EUR"\)/);
  });

  it('gives the client its own currency next to an estimate that requires another', async () => {
    const result = await graphql(supergraph.url, {
      query: '{ products { upc price(currency: "EUR") shippingEstimate } }',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      products: [
        { upc: 'p1', price: 22, shippingEstimate: 110 },
        { upc: 'p2', price: 44, shippingEstimate: 440 },
      ],
    });
  });
});

describe('a field only a non-resolvable @interfaceObject has (non-resolvable-interface-object)', () => {
  let supergraph: Supergraph;
  beforeAll(async () => void (supergraph = await startSupergraph(nodeSupergraph)));
  afterAll(() => supergraph.close());

  it('answers data: null and a coded error, asking no subgraph', async () => {
    const result = await graphql(supergraph.url, { query: '{ a { field } }' });
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions!['code']).toBe('QUERY_PLANNING_FAILED');
    expect(supergraph.sent['a']).toEqual([]);
    expect(supergraph.sent['b']).toEqual([]);
  });

  it('still answers what the interfaceObject can resolve', async () => {
    const result = await graphql(supergraph.url, { query: '{ b { id field } }' });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ b: { id: 'n1', field: 'foo' } });
  });
});

describe('an entity with several keys, some not resolvable (keys-mashup)', () => {
  let supergraph: Supergraph;
  beforeAll(async () => void (supergraph = await startSupergraph(keysSupergraph)));
  afterAll(() => supergraph.close());

  // The planner keyed the fetch of `nameInB` on `compositeId { one two }`, which subgraph b
  // declares resolvable: false; b then resolved no entity and the non-null field was null.
  it('fetches nameInB by a key subgraph b can resolve', async () => {
    const result = await graphql(supergraph.url, {
      query: '{ b { id a { id name nameInB } } }',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      b: { id: '100', a: [{ id: '1', name: 'a.1', nameInB: 'b.a.nameInB a.1' }] },
    });
  });

  it('reports a non-null field a subgraph leaves null in errors, nulling the nearest nullable parent', async () => {
    const result = await graphql(supergraph.url, {
      query: '{ b { id } orphan { id a { id name } } }',
    });
    expect(result.data).toEqual({ b: { id: '100' }, orphan: null });
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: ['orphan', 'a', 1, 'name'],
        extensions: expect.objectContaining({ code: 'RESPONSE_VALIDATION_FAILED' }),
      }),
    ]);
    expect(result.extensions?.['valueCompletion']).toBeUndefined();
  });
});

describe('correctQueryPlan', () => {
  it.each([
    ['shipping', shippingSupergraph, '{ products { shippingEstimate shippingEstimateEUR } }'],
    ['keys', keysSupergraph, '{ b { id a { id name nameInB } } }'],
  ])(
    'leaves a cached plan alone and gives the same plan when run again (%s)',
    (_name, specs, query) => {
      const services = specs.map(({ name, typeDefs }) => ({
        name,
        url: `http://127.0.0.1:1/${name}`,
        typeDefs: parse(typeDefs),
      }));
      const sdl = composeServices(services).supergraphSdl!;
      const supergraph = FederationSupergraph.build(sdl);
      const ctx = correctionContext(sdl, supergraph.schema.toGraphQLJSSchema());
      const operation = operationFromDocument(supergraph.apiSchema(), parse(query));
      const plan = new QueryPlanner(supergraph).buildQueryPlan(operation);
      const before = JSON.stringify(plan);
      const corrected = correctQueryPlan(plan, ctx);
      expect(JSON.stringify(plan)).toBe(before);
      expect(JSON.stringify(corrected)).not.toBe(before);
      expect(JSON.stringify(correctQueryPlan(corrected, ctx))).toBe(JSON.stringify(corrected));
    },
  );
});
