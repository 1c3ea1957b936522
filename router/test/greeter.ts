// The smallest supergraph a router test can run: one subgraph, "greeter", with `{ greeting }`
// (with an optional argument) and a mutation `greet`.
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

export function greeterSupergraph(url = 'http://127.0.0.1:1/unused'): string {
  const { supergraphSdl, errors } = composeServices([
    {
      name: 'greeter',
      url,
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
        type Query { greeting(name: String): String }
        type Mutation { greet: String }
      `),
    },
  ]);
  if (errors) throw errors[0];
  return supergraphSdl!;
}
