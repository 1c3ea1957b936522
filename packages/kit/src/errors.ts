// The one registry of GraphQL error codes used across the supergraph, and the factory that
// makes a GraphQLError carrying `extensions.code` (the shape of Apollo's internals-js error.ts).
import { GraphQLError } from 'graphql';

export const ERROR_CODES = {
  BAD_USER_INPUT: 'The input was invalid; the message says which field and why.',
  GRAPHQL_PARSE_FAILED: 'The query is not valid GraphQL syntax.',
  GRAPHQL_VALIDATION_FAILED: 'The query does not match the schema.',
  BAD_REQUEST: 'The HTTP request could not be understood as a GraphQL request.',
  PAYLOAD_TOO_LARGE: 'The request body is larger than the configured limit.',
  QUERY_TOO_COMPLEX:
    'The operation exceeds a limit (depth, aliases, root fields, tokens, directives or cost); extensions name the limit, its value and what was found.',
  PERSISTED_QUERY_NOT_FOUND:
    'The persisted operation id is unknown here; send the document with it (automatic persisted queries).',
  PERSISTED_QUERY_MISMATCH: "The document sent does not hash to the persisted query's sha256Hash.",
  PERSISTED_QUERY_REQUIRED:
    'Only trusted documents are accepted: send the id of a document in the manifest, not a document.',
  CSRF_HEADER_REQUIRED:
    'A request a browser could send from another site without a preflight (GET, form or text body) lacks a CSRF header.',
  UNAUTHENTICATED: 'No valid credentials were given.',
  MFA_REQUIRED:
    'The password was right and the account has a second factor: finish signing in with `completeMfaLogin`, sending the challenge in extensions.mfa and a code (or a passkey).',
  EMAIL_VERIFICATION_REQUIRED:
    'The address must be verified first: a mail with a link was sent to it (signUp and login when SIGN_UP_MODE is verify-email).',
  FORBIDDEN: 'The caller is authenticated but may not do this: a scope or a permission it lacks.',
  NOT_FOUND: 'The requested object does not exist.',
  CONFLICT: 'The change conflicts with the stored state (for example a duplicate key).',
  OVERLOADED: 'The service is shedding load; retry later.',
  RATE_LIMITED: 'The caller exceeded its rate limit; retry later.',
  CANCELLED:
    'The work was stopped before it finished (its caller went away, or a database statement ran past its timeout); nothing of it was stored.',
  SUBGRAPH_UNAVAILABLE: 'A subgraph could not be reached or failed.',
  SUBGRAPH_CIRCUIT_OPEN: "A subgraph's circuit breaker is open; it is not being called.",
  SUBGRAPH_TIMEOUT: 'A subgraph did not answer within its timeout.',
  SUBGRAPH_SUBSCRIPTION_FAILED:
    "A subscription's connection to its owning subgraph failed or was lost; subscribe again.",
  SUPERGRAPH_RELOADED:
    'The router loaded a new supergraph and ended the subscription; subscribe again.',
  TOO_MANY_SUBSCRIPTIONS: 'The connection already holds as many subscriptions as it may.',
  BUDGET_EXCEEDED: "The caller's spending limit for the period is used up.",
  NO_ELIGIBLE_PROVIDER: 'No enabled, healthy provider offers a model that meets the requirements.',
  UPSTREAM_UNAVAILABLE:
    'A service this one depends on (an embedder, an AI provider) is unreachable, failing or timing out.',
  UPSTREAM_ERROR: 'A service this one depends on refused the request or answered nonsense.',
  QUERY_PLANNING_FAILED:
    'The router found no way to fetch a field the operation selects from the subgraphs (for example a field only a non-resolvable @interfaceObject has).',
  RESPONSE_VALIDATION_FAILED:
    "A subgraph's answer left null where the schema promises a value, or gave a value that does not fit its type; the null went up to the nearest nullable field.",
  INTERNAL_SERVER_ERROR: 'An unexpected error; details are in the logs under the request id.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface CodedErrorOptions {
  /** Extra entries for `extensions`, e.g. the offending field. */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

export function codedError(
  code: ErrorCode,
  message: string,
  { extensions, cause }: CodedErrorOptions = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { ...extensions, code },
    originalError: cause instanceof Error ? cause : undefined,
  });
}

export const badInput = (message: string, field?: string): GraphQLError =>
  codedError('BAD_USER_INPUT', message, field ? { extensions: { field } } : {});

/** `field` names the input that referred to the missing object, as BAD_USER_INPUT does. */
export const notFound = (what: string, id: string, field?: string): GraphQLError =>
  codedError('NOT_FOUND', `${what} ${id} does not exist.`, {
    extensions: field ? { id, field } : { id },
  });

export function isCodedError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && typeof error.extensions?.code === 'string';
}
