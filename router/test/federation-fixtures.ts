// Small federated supergraphs for correctness tests: each subgraph is @apollo/subgraph under
// graphql-yoga on 127.0.0.1, composed with @apollo/composition, behind a router.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { parseConfig } from '../src/config.js';
import { createRouter, type Router } from '../src/router.js';

export interface SubgraphSpec {
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<unknown>;
}

export interface Supergraph {
  router: Router;
  /** The router's GraphQL endpoint. */
  url: string;
  /** The operations each subgraph was sent, by subgraph name. */
  sent: Record<string, string[]>;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

/** Starts the subgraphs and a router on their composition; `close()` stops them all. */
export async function startSupergraph(specs: SubgraphSpec[]): Promise<Supergraph> {
  const servers: Server[] = [];
  const sent: Record<string, string[]> = {};
  let router: Router | undefined;
  const close = async () => {
    await router?.close();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  };
  try {
    const services = [];
    for (const spec of specs) {
      const typeDefs = parse(spec.typeDefs);
      const seen: string[] = (sent[spec.name] = []);
      const yoga = createYoga({
        schema: buildSubgraphSchema({ typeDefs, resolvers: spec.resolvers }),
        logging: false,
        maskedErrors: false,
        plugins: [{ onParams: ({ params }) => void seen.push(params.query ?? '') }],
      });
      const server = createServer(yoga);
      servers.push(server);
      services.push({ name: spec.name, url: await listen(server), typeDefs });
    }
    const { supergraphSdl, errors } = composeServices(services);
    if (errors) throw errors[0];
    router = await createRouter(parseConfig({ LOG_LEVEL: 'silent', PORT: '0' }), {
      supergraphSdl: supergraphSdl!,
    });
    const { url } = await router.listen();
    return { router, url, sent, close };
  } catch (error) {
    await close();
    throw error;
  }
}
