// The four subgraphs of the gateways benchmark (accounts, inventory, products, reviews), each
// graphql-yoga over @apollo/subgraph's buildSubgraphSchema like most Node subgraphs in the wild.
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { AUTHOR, IN_STOCK, PRODUCTS, REVIEWS, USERS, USER_REVIEWS, type Review } from './data.js';

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", ' +
  'import: ["@key", "@external", "@requires", "@provides", "@shareable"])';

interface SubgraphDefinition {
  sdl: string;
  resolvers: GraphQLResolverMap<unknown>;
}

const byUpc = (upc: string) => PRODUCTS.find((product) => product.upc === upc);
const reviewOut = (review: Review) => ({ ...review, product: { upc: review.productUpc } });

export const SUBGRAPHS: Record<string, SubgraphDefinition> = {
  accounts: {
    sdl: `${LINK}
      type User @key(fields: "id") { id: ID! name: String username: String @shareable birthday: Int }
      type Query { me: User user(id: ID!): User users: [User] }`,
    resolvers: {
      Query: {
        me: () => USERS[0],
        user: (_: unknown, { id }: { id: string }) => USERS.find((user) => user.id === id),
        users: () => USERS,
      },
      User: {
        __resolveReference: ({ id }: { id: string }) => USERS.find((user) => user.id === id),
      },
    },
  },
  inventory: {
    sdl: `${LINK}
      type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        price: Int @external
        inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }`,
    resolvers: {
      Product: {
        __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ({
          ...ref,
          inStock: IN_STOCK.has(ref.upc),
        }),
        // Free above 1000, otherwise half the weight (the reference workload's rule).
        shippingEstimate: ({ price, weight }: { price?: number; weight?: number }) =>
          price === undefined ? null : price > 1000 ? 0 : weight === undefined ? null : weight / 2,
      },
    },
  },
  products: {
    sdl: `${LINK}
      type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }
      type Query { topProducts(first: Int = 5): [Product] }`,
    resolvers: {
      Query: {
        topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first),
      },
      Product: { __resolveReference: ({ upc }: { upc: string }) => byUpc(upc) },
    },
  },
  reviews: {
    sdl: `${LINK}
      type Review @key(fields: "id") {
        id: ID!
        body: String
        product: Product
        author: User @provides(fields: "username")
      }
      type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
      type Product @key(fields: "upc") { upc: String! reviews: [Review] }`,
    resolvers: {
      Review: {
        __resolveReference: ({ id }: { id: string }) => {
          const review = REVIEWS.find((row) => row.id === id);
          return review && reviewOut(review);
        },
        author: () => ({ id: AUTHOR.id, username: AUTHOR.username }),
      },
      User: {
        __resolveReference: ({ id }: { id: string }) => ({ id }),
        reviews: () => USER_REVIEWS.map(reviewOut),
      },
      Product: {
        __resolveReference: ({ upc }: { upc: string }) => ({ upc }),
        reviews: ({ upc }: { upc: string }) =>
          REVIEWS.filter((review) => review.productUpc === upc).map(reviewOut),
      },
    },
  },
};

/** The yoga app of one subgraph: no GraphiQL and no logging, which would only add noise. */
export function createBenchSubgraph({ sdl, resolvers }: SubgraphDefinition) {
  return createYoga({
    schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers }),
    graphiql: false,
    landingPage: false,
    logging: false,
  });
}
