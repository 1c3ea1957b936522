// The supergraphs behind federation-correctness.test.ts, written after the cases of The
// Guild's federation-gateway-audit that plain @apollo/gateway fails: @requires with arguments
// (requires-with-argument, requires-with-argument-conflict), a non-resolvable
// @interfaceObject (non-resolvable-interface-object) and several keys (keys-mashup).
import type { SubgraphSpec } from './federation-fixtures.js';

const LINK = (imports: string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ${JSON.stringify(imports)})`;

const posts = [
  { id: 'p1', comments: ['c1', 'c2', 'c3'] },
  { id: 'p2', comments: ['c4', 'c5', 'c6'] },
];
const comments: Record<string, { id: string; authorId: string }> = {
  c1: { id: 'c1', authorId: 'a1' },
  c2: { id: 'c2', authorId: 'a1' },
  c3: { id: 'c3', authorId: 'a2' },
  c4: { id: 'c4', authorId: 'a2' },
  c5: { id: 'c5', authorId: 'a2' },
  c6: { id: 'c6', authorId: 'a1' },
};
const commentsOf = (postId: string, limit: number) =>
  posts
    .find((post) => post.id === postId)!
    .comments.slice(0, limit)
    .map((id) => comments[id]);

/** Post.author needs the author of the third comment: `comments(limit: 3) { authorId }`. */
export const feedSupergraph: SubgraphSpec[] = [
  {
    name: 'posts',
    typeDefs: `${LINK(['@key', '@shareable'])}
      type Query { feed: [Post] }
      type Post @key(fields: "id") { id: ID! comments(limit: Int!): [Comment] @shareable }
      type Comment @key(fields: "id") { id: ID! authorId: ID }`,
    resolvers: {
      Query: { feed: () => posts.map(({ id }) => ({ id })) },
      Post: {
        __resolveReference: ({ id }: { id: string }) => ({ id }),
        comments: ({ id }: { id: string }, { limit }: { limit: number }) => commentsOf(id, limit),
      },
      Comment: { __resolveReference: ({ id }: { id: string }) => comments[id] ?? null },
    },
  },
  {
    name: 'authors',
    typeDefs: `${LINK(['@key', '@external', '@requires', '@shareable'])}
      type Post @key(fields: "id") {
        id: ID!
        comments(limit: Int!): [Comment] @shareable
        author: Author @requires(fields: "comments(limit: 3) { authorId }")
      }
      type Comment @key(fields: "id") { id: ID! authorId: ID @external }
      type Author { id: ID! }`,
    resolvers: {
      Post: {
        __resolveReference: (key: { id: string; comments?: { authorId: string }[] }) => {
          if (key.comments && key.comments.length !== 3) {
            throw new Error(
              `expected the 3 comments @requires asks for, got ${key.comments.length}`,
            );
          }
          return { id: key.id, authorId: key.comments?.[2]?.authorId };
        },
        author: ({ authorId }: { authorId?: string }) => (authorId ? { id: authorId } : null),
        comments: ({ id }: { id: string }, { limit }: { limit: number }) =>
          commentsOf(id, limit).map((comment) => ({ id: comment!.id })),
      },
      Comment: { __resolveReference: ({ id }: { id: string }) => ({ id }) },
    },
  },
];

const products = [
  { upc: 'p1', name: 'p-name-1', price: 11, weight: 1 },
  { upc: 'p2', name: 'p-name-2', price: 22, weight: 2 },
];
/** EUR prices are twice the USD ones, so that a mix-up shows in the estimates. */
const priceIn = (price: number, currency: string) => (currency === 'EUR' ? price * 2 : price);

/** Two estimates that @require the same field with different arguments. */
export const shippingSupergraph: SubgraphSpec[] = [
  {
    name: 'catalog',
    typeDefs: `${LINK(['@key'])}
      type Query { products: [Product] }
      type Product @key(fields: "upc") {
        upc: String!
        name: String
        price(currency: String!): Int
        weight: Int
      }`,
    resolvers: {
      Query: { products: () => products },
      Product: {
        __resolveReference: ({ upc }: { upc: string }) =>
          products.find((product) => product.upc === upc) ?? null,
        price: ({ price }: { price: number }, { currency }: { currency: string }) =>
          priceIn(price, currency),
      },
    },
  },
  {
    name: 'shipping',
    typeDefs: `${LINK(['@key', '@external', '@requires'])}
      type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        price(currency: String!): Int @external
        shippingEstimate: Int @requires(fields: "price(currency: \\"USD\\") weight")
        shippingEstimateEUR: Int @requires(fields: "price(currency: \\"EUR\\") weight")
      }`,
    resolvers: {
      Product: {
        __resolveReference: (key: { upc: string; price?: number; weight?: number }) => key,
        shippingEstimate: ({ price, weight }: { price: number; weight: number }) =>
          price * weight * 10,
        shippingEstimateEUR: ({ price, weight }: { price: number; weight: number }) =>
          price * weight * 10,
      },
    },
  },
];

/** `a` returns a Node that only `b` knows fields of, and `b` cannot resolve it by key. */
export const nodeSupergraph: SubgraphSpec[] = [
  {
    name: 'a',
    typeDefs: `${LINK(['@key', '@interfaceObject'])}
      interface Node @key(fields: "id") { id: ID! }
      type Query { a: Node }`,
    resolvers: {
      Query: { a: () => ({ __typename: 'Node', id: 'n1' }) },
    },
  },
  {
    name: 'b',
    typeDefs: `${LINK(['@key', '@interfaceObject'])}
      type Node @key(fields: "id", resolvable: false) @interfaceObject { id: ID! field: String }
      type Query { b: Node }`,
    resolvers: {
      Query: { b: () => ({ id: 'n1' }) },
      Node: {
        __resolveReference: () => {
          throw new Error('Node is not resolvable here');
        },
        field: () => 'foo',
      },
    },
  },
];

const things: Record<string, { id: string; pId: string; name: string }> = {
  '1': { id: '1', pId: 'a.1.pId', name: 'a.1' },
};
/** Subgraph b also knows A 2, which subgraph a has no record of. */
const pIds: Record<string, string> = { '1': 'a.1.pId', '2': 'a.2.pId' };
const composite = (id: string) => ({ one: `${id}.one`, two: `${id}.two`, three: `${id}.three` });

/**
 * An entity with several keys, most of them not resolvable, and a field that @requires.
 * `orphan` holds an A that subgraph a does not know: its non-null `name` comes back null.
 */
export const keysSupergraph: SubgraphSpec[] = [
  {
    name: 'a',
    typeDefs: `${LINK(['@key'])}
      type A
        @key(fields: "id")
        @key(fields: "pId", resolvable: false)
        @key(fields: "compositeId { one two }", resolvable: false)
        @key(fields: "id compositeId { two three }", resolvable: false) {
        id: ID!
        pId: ID!
        compositeId: CompositeID!
        name: String!
      }
      type CompositeID { one: ID! two: ID! three: ID! }`,
    resolvers: {
      A: {
        __resolveReference: ({ id }: { id: string }) => {
          const a = things[id];
          return a ? { ...a, compositeId: composite(id) } : null;
        },
      },
    },
  },
  {
    name: 'b',
    typeDefs: `${LINK(['@key', '@requires', '@external'])}
      type Query { b: B orphan: B }
      type B @key(fields: "id") { id: ID! a: [A!]! }
      type A
        @key(fields: "compositeId { one two }", resolvable: false)
        @key(fields: "id compositeId { two three }")
        @key(fields: "pId", resolvable: false)
        @key(fields: "id", resolvable: false) {
        id: ID!
        pId: ID!
        compositeId: CompositeID!
        name: String! @external
        nameInB: String! @requires(fields: "name")
      }
      type CompositeID { one: ID! two: ID! three: ID! }`,
    resolvers: {
      Query: {
        b: () => ({ id: '100', a: ['1'] }),
        orphan: () => ({ id: '200', a: ['1', '2'] }),
      },
      B: {
        a: ({ a }: { a: string[] }) =>
          a.map((id) => ({ id, pId: pIds[id], compositeId: composite(id) })),
      },
      A: {
        __resolveReference: (key: { id: string; name?: string }) => {
          const a = things[key.id];
          if (!a) return null;
          return { id: a.id, pId: a.pId, compositeId: composite(a.id), name: key.name };
        },
        nameInB: ({ name }: { name?: string }) => {
          if (!name) throw new Error('A.name was not provided');
          return `b.a.nameInB ${name}`;
        },
      },
    },
  },
];
