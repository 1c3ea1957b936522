// A subgraph data source behind its own opossum circuit breaker. Failures come back as
// GraphQL errors with a registry code and serviceName instead of exceptions, so the gateway
// keeps the code and still returns the other subgraphs' data. A fetch has one deadline
// (the breaker's timeout) and ends early when its caller goes away: both abort the HTTP
// request, which the subgraph sees and stops the work for. Queries that fail for want of the
// subgraph are tried again (retry-policy.ts), each attempt through the breaker.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import CircuitBreaker from 'opossum';
import {
  codedError,
  currentSignal,
  retryAfterMs,
  wait,
  withSignal,
  type BaseContext,
  type ErrorCode,
  type Logger,
} from '@supergraph/kit';
import { callerSignalOf } from './caller-signal.js';
import type { BreakerSettings } from './config.js';
import { RetryBudget, SubgraphHttpError, retryDelay, type RetrySettings } from './retry-policy.js';

type ProcessOptions = GraphQLDataSourceProcessOptions<BaseContext>;
type FetcherResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];

export type BreakerState = 'closed' | 'open' | 'half-open';

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

interface FailureResponse {
  status?: number;
  body?: unknown;
  retryAfter?: string;
}

/** No retries: what a data source does unless told otherwise. */
const NO_RETRIES: RetrySettings = {
  retries: 0,
  baseMs: 0,
  maxMs: 0,
  budgetPercent: 0,
  budgetMin: 0,
};

/** Aborts when the operation's callers have gone (its client's request, when it came over
 * HTTP, or all the callers of a shared execution). */
const callerSignal = (options: ProcessOptions): AbortSignal | undefined =>
  callerSignalOf(options.context);

/** Only queries are tried again: a mutation may have done its work before failing, and a
 * subscription's fetches belong to a stream. */
const isQuery = (options: ProcessOptions): boolean =>
  'incomingRequestContext' in options &&
  options.incomingRequestContext.operation?.operation === 'query';

export interface BreakerDataSourceOptions {
  name: string;
  url: string;
  settings: BreakerSettings;
  retry?: RetrySettings;
  logger: Logger;
  /** Called with the new state on every transition (metrics). */
  onStateChange?: (name: string, state: BreakerState) => void;
}

export class BreakerDataSource extends RemoteGraphQLDataSource<BaseContext> {
  readonly name: string;
  readonly breaker: CircuitBreaker<[ProcessOptions, AbortSignal], GatewayGraphQLResponse>;
  private readonly logger: Logger;
  private readonly settings: BreakerSettings;
  private readonly retry: RetrySettings;
  private readonly budget: RetryBudget;

  constructor({
    name,
    url,
    settings,
    retry = NO_RETRIES,
    logger,
    onStateChange,
  }: BreakerDataSourceOptions) {
    super({
      url,
      // Node's own fetch (undici, keep-alive), aborted by the signal of the attempt (send()),
      // or by the timeout alone for calls that come without one.
      fetcher: ((input: string, init: RequestInit) =>
        fetch(input, {
          ...init,
          signal: currentSignal() ?? AbortSignal.timeout(settings.timeoutMs),
        })) as never,
    });
    this.name = name;
    this.logger = logger;
    this.settings = settings;
    this.retry = retry;
    this.budget = new RetryBudget(
      retry.budgetPercent,
      retry.budgetMin,
      settings.rollingCountTimeoutMs,
    );
    this.breaker = new CircuitBreaker((options, signal) => this.send(options, signal), {
      name,
      timeout: false, // the fetch's own AbortSignal enforces it
      errorThresholdPercentage: settings.errorThresholdPercentage,
      volumeThreshold: settings.volumeThreshold,
      resetTimeout: settings.resetTimeoutMs,
      rollingCountTimeout: settings.rollingCountTimeoutMs,
      // A subgraph that answers 4xx is up: the request was wrong, not the subgraph. A call
      // whose client went away says nothing about the subgraph either. (opossum passes the
      // call's arguments after the error; its types name only the error.)
      errorFilter: ((error: unknown, options: ProcessOptions) =>
        (error instanceof SubgraphHttpError && error.status >= 400 && error.status < 500) ||
        callerSignal(options)?.aborted === true) as (error: unknown) => boolean,
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

  override willSendRequest({ request, context }: ProcessOptions) {
    const forward: Record<string, string> = context?.forwardHeaders ?? {};
    for (const [name, value] of Object.entries(forward)) {
      request.http?.headers.set(name, value);
    }
  }

  /** Keeps the Retry-After of a failed answer, which the gateway's error leaves out. */
  override async errorFromResponse(response: FetcherResponse) {
    const error = await super.errorFromResponse(response);
    const retryAfter = response.headers.get('retry-after');
    const details = error.extensions['response'] as FailureResponse | undefined;
    if (retryAfter && details) details.retryAfter = retryAfter;
    return error;
  }

  override async process(options: ProcessOptions): Promise<GatewayGraphQLResponse> {
    const caller = callerSignal(options);
    const deadline = Date.now() + this.settings.timeoutMs;
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    const retrying = isQuery(options) && this.retry.retries > 0;
    if (retrying) this.budget.recordRequest();
    for (let retriesSoFar = 0; ; retriesSoFar += 1) {
      try {
        return await this.breaker.fire(options, signal);
      } catch (error) {
        const delay =
          retrying && !signal.aborted && !this.breaker.opened
            ? retryDelay(this.retry, this.budget, {
                error,
                retriesSoFar,
                remainingMs: deadline - Date.now(),
              })
            : undefined;
        if (delay === undefined) return this.failure(error, caller);
        try {
          await wait(delay, signal);
        } catch {
          return this.failure(error, caller);
        }
      }
    }
  }

  /** One attempt, its fetch aborted by `signal`. */
  private async send(options: ProcessOptions, signal: AbortSignal) {
    try {
      return await withSignal(signal, () => super.process(options));
    } catch (error) {
      const response = (error as { extensions?: { response?: FailureResponse } }).extensions
        ?.response;
      if (response?.status) {
        throw new SubgraphHttpError(
          response.status,
          response.body,
          retryAfterMs(response.retryAfter ?? null),
        );
      }
      throw error;
    }
  }

  private failure(error: unknown, caller?: AbortSignal): GatewayGraphQLResponse {
    if (error instanceof SubgraphHttpError && hasGraphQLErrors(error.body)) {
      return { errors: error.body.errors };
    }
    if ((error as { code?: string }).code === 'EOPENBREAKER') {
      return { errors: [this.circuitOpenError().toJSON()] as never };
    }
    const [code, message] = this.describe(error);
    // A client that went away is nothing to warn about; nobody reads this answer.
    if (!caller?.aborted) this.logger.warn({ subgraph: this.name, err: error }, message);
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
