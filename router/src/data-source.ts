// A subgraph data source behind its own opossum circuit breaker. Failures come back as
// GraphQL errors with a registry code and serviceName instead of exceptions, so the gateway
// keeps the code and still returns the other subgraphs' data.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import CircuitBreaker from 'opossum';
import { codedError, type BaseContext, type ErrorCode, type Logger } from '@supergraph/kit';
import type { BreakerSettings } from './config.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

interface FailureResponse {
  status?: number;
  body?: unknown;
}

class SubgraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`subgraph answered HTTP ${status}`);
  }
}

export interface BreakerDataSourceOptions {
  name: string;
  url: string;
  settings: BreakerSettings;
  logger: Logger;
  /** Called with the new state on every transition (metrics). */
  onStateChange?: (name: string, state: BreakerState) => void;
}

export class BreakerDataSource extends RemoteGraphQLDataSource<BaseContext> {
  readonly name: string;
  readonly breaker: CircuitBreaker<
    [GraphQLDataSourceProcessOptions<BaseContext>],
    GatewayGraphQLResponse
  >;
  private readonly logger: Logger;

  constructor({ name, url, settings, logger, onStateChange }: BreakerDataSourceOptions) {
    super({
      url,
      // Node's own fetch (undici, keep-alive) with a per-call timeout that aborts the request.
      fetcher: ((input: string, init: RequestInit) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(settings.timeoutMs) })) as never,
    });
    this.name = name;
    this.logger = logger;
    this.breaker = new CircuitBreaker((options) => this.send(options), {
      name,
      timeout: false, // the fetch's own AbortSignal enforces it
      errorThresholdPercentage: settings.errorThresholdPercentage,
      volumeThreshold: settings.volumeThreshold,
      resetTimeout: settings.resetTimeoutMs,
      rollingCountTimeout: settings.rollingCountTimeoutMs,
      // A subgraph that answers 4xx is up: the request was wrong, not the subgraph.
      errorFilter: (error: unknown) =>
        error instanceof SubgraphHttpError && error.status >= 400 && error.status < 500,
    });
    const changed = () => {
      const now = this.state;
      this.logger.warn({ subgraph: name, breaker: now }, `breaker ${now}`);
      onStateChange?.(name, now);
    };
    this.breaker.on('open', changed);
    this.breaker.on('halfOpen', changed);
    this.breaker.on('close', changed);
  }

  /** The error of a call refused because the breaker is open (queries and subscriptions). */
  circuitOpenError() {
    return codedError(
      'SUBGRAPH_CIRCUIT_OPEN',
      `The ${this.name} subgraph is failing; its circuit breaker is open, so it was not called.`,
      { extensions: { serviceName: this.name } },
    );
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  get stateValue(): number {
    return STATE_VALUE[this.state];
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<BaseContext>) {
    const forward: Record<string, string> = context?.forwardHeaders ?? {};
    for (const [name, value] of Object.entries(forward)) {
      request.http?.headers.set(name, value);
    }
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<BaseContext>,
  ): Promise<GatewayGraphQLResponse> {
    try {
      return await this.breaker.fire(options);
    } catch (error) {
      return this.failure(error);
    }
  }

  private async send(options: GraphQLDataSourceProcessOptions<BaseContext>) {
    try {
      return await super.process(options);
    } catch (error) {
      const response = (error as { extensions?: { response?: FailureResponse } }).extensions
        ?.response;
      if (response?.status) throw new SubgraphHttpError(response.status, response.body);
      throw error;
    }
  }

  private failure(error: unknown): GatewayGraphQLResponse {
    if (error instanceof SubgraphHttpError && hasGraphQLErrors(error.body)) {
      return { errors: error.body.errors };
    }
    if ((error as { code?: string }).code === 'EOPENBREAKER') {
      return { errors: [this.circuitOpenError().toJSON()] as never };
    }
    const [code, message] = this.describe(error);
    this.logger.warn({ subgraph: this.name, err: error }, message);
    return {
      errors: [{ message, extensions: { code, serviceName: this.name } }] as never,
    };
  }

  private describe(error: unknown): [ErrorCode, string] {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return ['SUBGRAPH_TIMEOUT', `The ${this.name} subgraph did not answer in time.`];
    }
    if (error instanceof SubgraphHttpError) {
      return ['SUBGRAPH_UNAVAILABLE', `The ${this.name} subgraph failed (HTTP ${error.status}).`];
    }
    return ['SUBGRAPH_UNAVAILABLE', `The ${this.name} subgraph could not be reached.`];
  }
}

function hasGraphQLErrors(body: unknown): body is { errors: never[] } {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { errors?: unknown }).errors) &&
    (body as { errors: unknown[] }).errors.length > 0
  );
}
