// Upstream subscriptions: graphql-ws clients to the owning subgraphs. One connection per
// subgraph and identity (the token goes in connection_init, as a client's would) carries the
// subscriptions of that identity, up to the subgraphs' per-connection limit (another opens
// past it); it opens with the first and closes with the last. A lost or refused connection
// ends each of its subscriptions with a coded error, never silently.
import { createClient, type Client } from 'graphql-ws';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import WebSocket from 'ws';
import { codedError, type Logger } from '@supergraph/kit';

export interface UpstreamRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string | undefined;
}

export interface UpstreamSink {
  /** One event of the subgraph, as it sent it. */
  next(result: ExecutionResult): void;
  /** The subscription ended: normally (no errors) or with the errors to give the client. */
  end(errors?: readonly GraphQLError[]): void;
}

interface PooledClient {
  client: Client;
  subscriptions: number;
  open: boolean;
  /** Whether the connection was ever acknowledged: a refused connect is not a lost one. */
  connected: boolean;
}

export interface UpstreamStats {
  /** Open WebSocket connections to subgraphs. */
  connections: number;
  /** Subscriptions running on them. */
  subscriptions: number;
}

/** The graphql-ws URL of a subgraph's HTTP GraphQL URL. */
export const websocketUrl = (httpUrl: string) => httpUrl.replace(/^http/i, 'ws');

export class UpstreamPool {
  private readonly clients = new Map<string, PooledClient[]>();

  constructor(
    private readonly logger: Logger,
    private readonly settings: { keepAliveMs: number; maxSubscriptionsPerConnection: number },
  ) {}

  get stats(): UpstreamStats {
    let connections = 0;
    let subscriptions = 0;
    for (const pooled of [...this.clients.values()].flat()) {
      if (pooled.open) connections += 1;
      subscriptions += pooled.subscriptions;
    }
    return { connections, subscriptions };
  }

  /** Starts a subscription on the subgraph; the returned function completes it there. */
  subscribe(
    serviceName: string,
    httpUrl: string,
    authorization: string | undefined,
    request: UpstreamRequest,
    sink: UpstreamSink,
  ): () => void {
    const key = `${serviceName}\n${httpUrl}\n${authorization ?? ''}`;
    const pooled =
      this.clients
        .get(key)
        ?.find((one) => one.subscriptions < this.settings.maxSubscriptionsPerConnection) ??
      this.connect(key, serviceName, httpUrl, authorization);
    pooled.subscriptions += 1;
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      pooled.subscriptions -= 1;
      if (pooled.subscriptions === 0) {
        this.forget(key, pooled);
        void pooled.client.dispose();
      }
    };
    const unsubscribe = pooled.client.subscribe<Record<string, unknown>>(request, {
      next: (result) => sink.next(result as ExecutionResult),
      complete: () => {
        release();
        sink.end();
      },
      error: (error) => {
        release();
        sink.end(this.describe(serviceName, error, pooled.connected));
      },
    });
    return () => {
      if (done) return;
      unsubscribe();
      release();
    };
  }

  /** Drops every upstream connection; their subscriptions end as lost. */
  async close(): Promise<void> {
    const pooled = [...this.clients.values()].flat();
    this.clients.clear();
    await Promise.all(pooled.map(({ client }) => client.dispose()));
  }

  private forget(key: string, pooled: PooledClient) {
    const rest = (this.clients.get(key) ?? []).filter((one) => one !== pooled);
    if (rest.length > 0) this.clients.set(key, rest);
    else this.clients.delete(key);
  }

  private connect(
    key: string,
    serviceName: string,
    httpUrl: string,
    authorization: string | undefined,
  ): PooledClient {
    const pooled = { subscriptions: 0, open: false, connected: false } as PooledClient;
    pooled.client = createClient({
      url: websocketUrl(httpUrl),
      webSocketImpl: WebSocket,
      connectionParams: authorization ? { authorization } : {},
      lazy: true,
      lazyCloseTimeout: 0,
      // A lost connection ends its subscriptions with a coded error; clients resubscribe.
      retryAttempts: 0,
      shouldRetry: () => false,
      keepAlive: this.settings.keepAliveMs,
      on: {
        connected: () => {
          pooled.open = true;
          pooled.connected = true;
        },
        closed: (event) => {
          pooled.open = false;
          const { code } = event as { code?: number };
          if (code !== 1000) {
            this.logger.warn(
              { subgraph: serviceName, code },
              'upstream subscription socket closed',
            );
          }
          this.forget(key, pooled);
        },
      },
    });
    this.clients.set(key, [...(this.clients.get(key) ?? []), pooled]);
    return pooled;
  }

  private describe(
    serviceName: string,
    error: unknown,
    connected: boolean,
  ): readonly GraphQLError[] {
    // The subgraph refused the operation: its own errors, with their codes.
    if (Array.isArray(error)) {
      return (error as GraphQLFormattedError[]).map(
        (one) =>
          new GraphQLError(one.message, {
            ...(one.path ? { path: one.path } : {}),
            extensions: { ...one.extensions, serviceName },
          }),
      );
    }
    const { code, reason } = error as { code?: number; reason?: string };
    if (code === 4401 || code === 4403) {
      return [
        codedError(
          code === 4401 ? 'UNAUTHENTICATED' : 'FORBIDDEN',
          `The ${serviceName} subgraph refused the subscription's credentials${reason ? `: ${reason}` : '.'}`,
          { extensions: { serviceName } },
        ),
      ];
    }
    const what =
      connected && typeof code === 'number'
        ? `closed the subscription's connection (code ${code}${reason ? `, ${reason}` : ''})`
        : 'could not be reached';
    return [
      codedError(
        'SUBGRAPH_SUBSCRIPTION_FAILED',
        `The ${serviceName} subgraph ${what}; the subscription ended, subscribe again.`,
        { extensions: { serviceName } },
      ),
    ];
  }
}
