// What a client sees of an error: coded GraphQL errors pass through; anything unexpected is
// logged with the request id and masked as INTERNAL_SERVER_ERROR outside development.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codedError, ERROR_CODES } from './errors.js';
import type { Logger } from './logger.js';

const MAX_CAUSE_DEPTH = 5;

function knownCode(error: GraphQLError): boolean {
  const code = error.extensions?.code;
  return typeof code === 'string' && code in ERROR_CODES && code !== 'INTERNAL_SERVER_ERROR';
}

/** A coded error that another wrapped (drizzle wraps what the driver throws in its own
 * DrizzleQueryError, `cause` holding the original). */
function codedCause(error: GraphQLError): GraphQLError | undefined {
  let cause: unknown = error.originalError;
  for (let depth = 0; cause instanceof Error && depth < MAX_CAUSE_DEPTH; depth += 1) {
    if (cause instanceof GraphQLError) {
      if (knownCode(cause)) return cause;
      cause = cause.originalError;
    } else {
      cause = cause.cause;
    }
  }
  return undefined;
}

/** Codes for the errors graphql-js and yoga raise without one. */
function inferredCode(error: GraphQLError): string | undefined {
  if (error.message.startsWith('Syntax Error')) return 'GRAPHQL_PARSE_FAILED';
  if (error.extensions?.http && !error.originalError) return 'BAD_REQUEST';
  if (error.nodes && !error.path && !error.originalError) return 'GRAPHQL_VALIDATION_FAILED';
  if (
    error.message.startsWith('Variable "$') ||
    error.message.includes('got invalid value') ||
    error.message.startsWith('Expected value of type') ||
    error.message.includes('cannot represent')
  )
    return 'BAD_USER_INPUT';
  return undefined;
}

export function maskErrorFor(logger: Logger) {
  return (error: unknown, message: string, isDev?: boolean): Error => {
    if (error instanceof GraphQLError) {
      if (knownCode(error)) return error;
      const original = error.originalError;
      const coded = codedCause(error);
      if (coded) {
        return new GraphQLError(coded.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          extensions: { ...error.extensions, ...coded.extensions },
        });
      }
      const code = inferredCode(error);
      if (code && (!original || original instanceof GraphQLError)) {
        return new GraphQLError(error.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          extensions: { ...error.extensions, code },
        });
      }
    }
    if (!(error instanceof GraphQLError && error.path)) {
      // Errors of a resolver are logged with the request id by useUnexpectedErrorLog.
      logger.error({ err: error }, 'unexpected error');
    }
    const masked = codedError('INTERNAL_SERVER_ERROR', isDev ? String(error) : message);
    return error instanceof GraphQLError
      ? new GraphQLError(masked.message, {
          nodes: error.nodes,
          path: error.path,
          extensions: masked.extensions,
        })
      : masked;
  };
}

function isUnexpected(error: GraphQLError): boolean {
  if (knownCode(error)) return false;
  return codedCause(error) === undefined && inferredCode(error) === undefined;
}

/** Logs every unexpected resolver error with the request's logger, so with its request id. */
export function useUnexpectedErrorLog(): Plugin<{ logger?: Logger }> {
  return {
    onExecute({ args }) {
      const logger = (args.contextValue as { logger?: Logger }).logger;
      return {
        onExecuteDone({ result }) {
          if (!logger || Symbol.asyncIterator in result) return;
          for (const error of result.errors ?? []) {
            if (isUnexpected(error)) {
              logger.error(
                { err: error.originalError ?? error, path: error.path },
                'unexpected error',
              );
            }
          }
        },
      };
    },
  };
}
