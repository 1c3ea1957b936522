// Serving a yoga instance, the one way the subgraphs and the router do it: HTTP (with SSE,
// from yoga itself) and GraphQL over WebSocket (graphql-ws) on one port. The bearer token of
// connection_init is checked before the connection is acknowledged, WebSocket pings drop
// sockets that stop answering, and each connection holds a bounded number of subscriptions.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type execute,
  type subscribe,
} from 'graphql';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { ServiceConfig, WebSocketLimits } from './config.js';
import { codedError } from './errors.js';
import { bearerToken, connectionAuthorization, type IdentityVerifier } from './identity.js';
import type { Logger } from './logger.js';

/** The close code of a connection_init whose bearer token is invalid or expired. */
const CLOSE_UNAUTHORIZED = 4401;

interface GraphqlWsOptions {
  server: Server;
  yoga: YogaServerInstance<any, any>;
  path: string;
  limits: WebSocketLimits;
  verifier: IdentityVerifier;
  logger: Logger;
}

interface GraphqlWsServer {
  /** Drops every connection and stops accepting new ones. */
  close(): Promise<void>;
}

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => ReturnType<typeof execute>;
  subscribe: (args: ExecutionArgs) => ReturnType<typeof subscribe>;
}

function serveGraphqlWs(options: GraphqlWsOptions): GraphqlWsServer {
  const { server, yoga, path, limits, verifier, logger } = options;
  const wsServer = new WebSocketServer({ server, path });
  const served = useServer(
    {
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        try {
          const token = bearerToken(connectionAuthorization(ctx.connectionParams));
          if (token) await verifier.verify(token);
          return true;
        } catch (error) {
          const reason = `Unauthorized: ${(error as Error).message}`.slice(0, 120);
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, reason);
          return false;
        }
      },
      onSubscribe: async (ctx, _id, params) => {
        // graphql-ws has already reserved this subscription's id in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
          return [
            codedError(
              'TOO_MANY_SUBSCRIPTIONS',
              `This connection already holds ${limits.maxSubscriptionsPerConnection} subscriptions; complete one or open another connection.`,
              { extensions: { limit: limits.maxSubscriptionsPerConnection } },
            ),
          ];
        }
        const enveloped = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        let document: DocumentNode;
        try {
          document = enveloped.parse(params.query);
        } catch (error) {
          // A syntax error or a refused operation (past the token limit) ends this
          // subscription with its error; thrown, graphql-ws would close the whole connection.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        return {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onError: (_ctx, _id, _payload, errors) => {
        logger.debug({ errors: errors.map((error) => error.message) }, 'graphql-ws error');
      },
    },
    wsServer,
    limits.keepAliveMs,
  );
  return {
    async close() {
      for (const client of wsServer.clients) client.terminate();
      await served.dispose(); // also closes the WebSocket server
    },
  };
}

/** Where every service serves GraphQL: HTTP, SSE and graphql-ws alike. */
export const GRAPHQL_PATH = '/graphql';

export interface ListenOptions extends Pick<GraphqlWsOptions, 'yoga' | 'verifier' | 'logger'> {
  config: Pick<ServiceConfig, 'host' | 'websocket'>;
  port: number;
}

export interface Listening {
  port: number;
  /** The GraphQL URL. */
  url: string;
  /** Drops WebSocket and HTTP connections and stops listening. */
  close(): Promise<void>;
}

/** Listens on config.host:port (0 picks a free port): HTTP, SSE and graphql-ws on /graphql. */
export async function listenGraphql(options: ListenOptions): Promise<Listening> {
  const { yoga, verifier, logger, port } = options;
  const { host, websocket: limits } = options.config;
  const path = GRAPHQL_PATH;
  const server = createServer(yoga);
  const websocket = serveGraphqlWs({ server, yoga, path, limits, verifier, logger });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://${host}:${actual}${path}`,
    async close() {
      await websocket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
