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
import type { SubscribePayload } from 'graphql-ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { ServiceConfig, WebSocketLimits } from './config.js';
import { metricsResponse, type ServiceMetrics } from './metrics.js';
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
  /** Turns a subscribe message's params into the ones to run (e.g. a persisted operation's
   * id into its document); throws a GraphQLError to refuse them. */
  resolveParams?: (params: SubscribePayload) => Promise<SubscribePayload>;
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
  const { server, yoga, path, limits, verifier, logger, resolveParams } = options;
  const wsServer = new WebSocketServer({ server, path, maxPayload: limits.maxPayloadBytes });
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
        let document: DocumentNode;
        let enveloped: ReturnType<typeof yoga.getEnveloped>;
        try {
          // What yoga's request pipeline does to HTTP params (persisted operations) first.
          const resolved = resolveParams ? await resolveParams(params) : params;
          enveloped = yoga.getEnveloped({
            ...ctx,
            req: ctx.extra.request,
            socket: ctx.extra.socket,
            params: resolved,
          });
          document = enveloped.parse(resolved.query);
          params = resolved;
        } catch (error) {
          // A coded refusal (persisted operations, token limit) or a syntax error goes back
          // to the client as the subscription's error, not as a dropped socket.
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
const METRICS_PATH = '/metrics';
/** Time a client has to send a whole request (headers and body): a body that trickles in
 * byte by byte does not hold a connection for Node's default five minutes. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface ListenOptions extends Pick<
  GraphqlWsOptions,
  'yoga' | 'verifier' | 'logger' | 'resolveParams'
> {
  config: Pick<ServiceConfig, 'host' | 'websocket' | 'metrics'>;
  port: number;
  /** Served on config.metrics.port when one is set. */
  metrics: ServiceMetrics;
}

export interface Listening {
  port: number;
  /** The GraphQL URL. */
  url: string;
  /** /metrics on its own port, when config.metrics.port is set. */
  metricsUrl: string | undefined;
  /** Drops WebSocket and HTTP connections and stops listening. */
  close(): Promise<void>;
}

async function listenOn(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** GET /metrics and nothing else, for a port that only the scraper can reach. */
function createMetricsServer(metrics: ServiceMetrics, token: string | undefined, logger: Logger) {
  return createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== METRICS_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    void metricsResponse(metrics, { token }, request.headers.authorization ?? null, logger).then(
      async (answer) => {
        response.writeHead(answer.status, Object.fromEntries(answer.headers));
        response.end(await answer.text());
      },
    );
  });
}

/** Listens on config.host:port (0 picks a free port): HTTP, SSE and graphql-ws on /graphql;
 * /metrics on config.metrics.port instead when one is set. */
export async function listenGraphql(options: ListenOptions): Promise<Listening> {
  const { yoga, verifier, logger, port, metrics, resolveParams } = options;
  const { host, websocket: limits, metrics: metricsSettings } = options.config;
  const path = GRAPHQL_PATH;
  const server = createServer(yoga);
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  const websocket = serveGraphqlWs({ server, yoga, path, limits, verifier, logger, resolveParams });
  const actual = await listenOn(server, port, host);
  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;
  if (metricsSettings.port !== undefined) {
    metricsServer = createMetricsServer(metrics, metricsSettings.token, logger);
    try {
      const metricsPort = await listenOn(metricsServer, metricsSettings.port, host);
      metricsUrl = `http://${host}:${metricsPort}${METRICS_PATH}`;
    } catch (error) {
      await websocket.close();
      await closeServer(server);
      throw error;
    }
  }
  return {
    port: actual,
    url: `http://${host}:${actual}${path}`,
    metricsUrl,
    async close() {
      await websocket.close();
      await Promise.all([closeServer(server), metricsServer && closeServer(metricsServer)]);
    },
  };
}
