// A subgraph's HTTP client behind its own opossum circuit breaker. Failures come back as
// GraphQL errors with a registry code and serviceName instead of exceptions, so the plan
// executor keeps the code and still returns the other subgraphs' data. A fetch has one
// deadline (the breaker's timeout) and ends early when every caller waiting for it has gone:
// both abort the HTTP request, which the subgraph sees and stops the work for. Queries that
// fail for want of the subgraph are tried again (retry-policy.ts), each attempt through the
// breaker. Identical queries in flight (same subgraph, body and identity) share one request,
// as Apollo Router and Hive Gateway do; every caller parses its own copy of the answer.
// undici's Pool rather than fetch: under load the WHATWG layers of fetch cost about as much as
// the request itself (tests/bench/gateways.ts).
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import CircuitBreaker from 'opossum';
import { Pool } from 'undici';
import {
  codedError,
  retryAfterMs,
  wait,
  type BaseContext,
  type ErrorCode,
  type Logger,
} from '@supergraph/kit';
import { callerSignalOf } from './caller-signal.js';
import type { BreakerSettings } from './config.js';
import { InFlight } from './in-flight.js';
import {
  RetryBudget,
  SubgraphConnectionError,
  SubgraphHttpError,
  retryDelay,
  type RetrySettings,
} from './retry-policy.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Operations whose printed body head is kept (bodyHead); past it the cache starts again. */
const MAX_BODY_HEADS = 1_000;

/** No retries: what a data source does unless told otherwise. */
const NO_RETRIES: RetrySettings = {
  retries: 0,
  baseMs: 0,
  maxMs: 0,
  budgetPercent: 0,
  budgetMin: 0,
};

/** One GraphQL request to a subgraph. */
export interface SubgraphRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown>;
}

/** A subgraph's GraphQL answer, owned by the caller (it may write into it). */
export interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

export interface SubgraphCall {
  /** Only queries are shared with identical ones in flight and tried again. */
  operation: 'query' | 'mutation' | 'subscription';
  /** The client's request context: identity headers to forward, the request's signal. */
  context?: BaseContext;
}

/** What one HTTP exchange gave: the answer's text, or the failure response to hand out. */
type Outcome = { text: string } | { failure: SubgraphResponse };

const isAbort = (error: unknown) => {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
};

export interface BreakerDataSourceOptions {
  name: string;
  url: string;
  settings: BreakerSettings;
  retry?: RetrySettings;
  /** Share identical queries in flight (default true). */
  shareInFlight?: boolean;
  logger: Logger;
  /** Called with the new state on every transition (metrics). */
  onStateChange?: (name: string, state: BreakerState) => void;
  /** Called for every query answered by a request already in flight (metrics). */
  onShared?: (name: string) => void;
}

export class BreakerDataSource {
  readonly name: string;
  readonly url: string;
  readonly breaker: CircuitBreaker<[string, Record<string, string>, AbortSignal], string>;
  private readonly logger: Logger;
  private readonly settings: BreakerSettings;
  private readonly retry: RetrySettings;
  private readonly budget: RetryBudget;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly shareInFlight: boolean;
  private readonly inFlight = new InFlight<Outcome>();
  private readonly heads = new Map<string, { operationName: string | undefined; head: string }>();
  private readonly onShared?: (name: string) => void;

  constructor({
    name,
    url,
    settings,
    retry = NO_RETRIES,
    shareInFlight = true,
    logger,
    onStateChange,
    onShared,
  }: BreakerDataSourceOptions) {
    this.name = name;
    this.url = url;
    this.logger = logger;
    this.settings = settings;
    this.retry = retry;
    this.shareInFlight = shareInFlight;
    this.onShared = onShared;
    const target = new URL(url);
    this.path = `${target.pathname}${target.search}`;
    this.pool = new Pool(target.origin, { keepAliveTimeout: 10_000 });
    this.budget = new RetryBudget(
      retry.budgetPercent,
      retry.budgetMin,
      settings.rollingCountTimeoutMs,
    );
    this.breaker = new CircuitBreaker(
      (body: string, headers: Record<string, string>, signal: AbortSignal) =>
        this.send(body, headers, signal),
      {
        name,
        timeout: false, // the request's own AbortSignal enforces it
        errorThresholdPercentage: settings.errorThresholdPercentage,
        volumeThreshold: settings.volumeThreshold,
        resetTimeout: settings.resetTimeoutMs,
        rollingCountTimeout: settings.rollingCountTimeoutMs,
        // A subgraph that answers 4xx is up: the request was wrong, not the subgraph. A call
        // whose callers all went away says nothing about the subgraph either. (opossum passes
        // the call's arguments after the error; its types name only the error.)
        errorFilter: ((error: unknown, _body: string, _headers: unknown, signal: AbortSignal) =>
          (error instanceof SubgraphHttpError && error.status >= 400 && error.status < 500) ||
          (signal.aborted && !isTimeout(signal))) as (error: unknown) => boolean,
      },
    );
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

  /** Sends one GraphQL request; never throws: failures are answers with coded errors. */
  async call(request: SubgraphRequest, { operation, context }: SubgraphCall) {
    const body =
      request.variables === undefined
        ? `${this.bodyHead(request)}}`
        : `${this.bodyHead(request)},"variables":${JSON.stringify(request.variables)}}`;
    const headers = context?.forwardHeaders ?? {};
    // Aborts when the operation's callers have gone (caller-signal.ts).
    const caller = callerSignalOf(context);
    if (operation !== 'query' || !this.shareInFlight) {
      return answer(await this.attempts(body, headers, caller, operation === 'query'));
    }
    const key = `${headers['authorization'] ?? ''}\n${body}`;
    const outcome = await this.inFlight.run(
      key,
      caller,
      (signal) => this.attempts(body, headers, signal, true),
      () => this.onShared?.(this.name),
    );
    return answer(outcome);
  }

  /** `{"query":…,"operationName":…` of a request, printed once per operation: plans send
   * the same few operations again and again, and escaping them is most of a body's cost. */
  private bodyHead({ query, operationName }: SubgraphRequest): string {
    const known = this.heads.get(query);
    if (known && known.operationName === (operationName ?? undefined)) return known.head;
    if (this.heads.size >= MAX_BODY_HEADS) this.heads.clear();
    const head = JSON.stringify({ query, operationName: operationName ?? undefined }).slice(0, -1);
    this.heads.set(query, { operationName: operationName ?? undefined, head });
    return head;
  }

  /** The gateway's data source interface (its health checks; the router executes its plans
   * itself: plan-executor.ts). */
  async process(
    options: GraphQLDataSourceProcessOptions<BaseContext>,
  ): Promise<GatewayGraphQLResponse> {
    const operation =
      'incomingRequestContext' in options
        ? (options.incomingRequestContext.operation?.operation ?? 'query')
        : 'query';
    return (await this.call(
      {
        query: options.request.query ?? '',
        operationName: options.request.operationName,
        variables: options.request.variables,
      },
      { operation, context: options.context as BaseContext | undefined },
    )) as GatewayGraphQLResponse;
  }

  /** Attempts of one request (retries for queries), bounded by the breaker's timeout. */
  private async attempts(
    body: string,
    headers: Record<string, string>,
    caller: AbortSignal | undefined,
    retryable: boolean,
  ): Promise<Outcome> {
    const deadline = Date.now() + this.settings.timeoutMs;
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    const retrying = retryable && this.retry.retries > 0;
    if (retrying) this.budget.recordRequest();
    for (let retriesSoFar = 0; ; retriesSoFar += 1) {
      try {
        return { text: await this.breaker.fire(body, headers, signal) };
      } catch (error) {
        const delay =
          retrying && !signal.aborted && !this.breaker.opened
            ? retryDelay(this.retry, this.budget, {
                error,
                retriesSoFar,
                remainingMs: deadline - Date.now(),
              })
            : undefined;
        if (delay === undefined) return { failure: this.failure(error, caller, timeout) };
        try {
          await wait(delay, signal);
        } catch {
          return { failure: this.failure(error, caller, timeout) };
        }
      }
    }
  }

  /** One HTTP exchange: the answer's text when it is a 2xx. */
  private async send(body: string, headers: Record<string, string>, signal: AbortSignal) {
    let response;
    try {
      response = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal,
      });
    } catch (error) {
      throw signal.aborted || isAbort(error)
        ? (signal.reason ?? error)
        : new SubgraphConnectionError(error);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw signal.aborted ? (signal.reason ?? error) : new SubgraphConnectionError(error);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return text;
    const type = String(response.headers['content-type'] ?? '');
    let parsed: unknown = text;
    if (type.includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        // kept as text
      }
    }
    const retryAfter = response.headers['retry-after'];
    throw new SubgraphHttpError(
      response.statusCode,
      parsed,
      retryAfterMs(typeof retryAfter === 'string' ? retryAfter : null),
    );
  }

  private failure(
    error: unknown,
    caller: AbortSignal | undefined,
    timeout: AbortSignal,
  ): SubgraphResponse {
    if (error instanceof SubgraphHttpError && hasGraphQLErrors(error.body)) {
      return { errors: error.body.errors };
    }
    if ((error as { code?: string }).code === 'EOPENBREAKER') {
      return { errors: [this.circuitOpenError().toJSON()] };
    }
    const [code, message] = this.describe(error, timeout);
    // A client that went away is nothing to warn about; nobody reads this answer.
    if (!caller?.aborted || timeout.aborted) {
      this.logger.warn({ subgraph: this.name, err: error }, message);
    }
    return { errors: [{ message, extensions: { code, serviceName: this.name } }] };
  }

  private describe(error: unknown, timeout: AbortSignal): [ErrorCode, string] {
    if (timeout.aborted || isAbort(error)) {
      return ['SUBGRAPH_TIMEOUT', `The ${this.name} subgraph did not answer in time.`];
    }
    if (error instanceof SubgraphHttpError) {
      return ['SUBGRAPH_UNAVAILABLE', `The ${this.name} subgraph failed (HTTP ${error.status}).`];
    }
    return ['SUBGRAPH_UNAVAILABLE', `The ${this.name} subgraph could not be reached.`];
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.pool.close();
  }
}

/** Whether a signal from AbortSignal.any was aborted by its timeout part. */
function isTimeout(signal: AbortSignal): boolean {
  return (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
}

/** The caller's own copy of an outcome. */
function answer(outcome: Outcome): SubgraphResponse {
  if ('failure' in outcome) return { ...outcome.failure };
  let parsed: unknown;
  try {
    parsed = JSON.parse(outcome.text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      errors: [
        {
          message: 'The subgraph answered something that is not a GraphQL response.',
          extensions: { code: 'SUBGRAPH_UNAVAILABLE' satisfies ErrorCode },
        },
      ],
    };
  }
  return parsed as SubgraphResponse;
}

function hasGraphQLErrors(body: unknown): body is { errors: GraphQLFormattedError[] } {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { errors?: unknown }).errors) &&
    (body as { errors: unknown[] }).errors.length > 0
  );
}
