// A subscription lives no longer than the token it was opened with: when the token expires or
// is revoked (its session ended, its signing key retired), the subscriber gets UNAUTHENTICATED
// and the stream ends (and with it the work behind it), so a stream cannot outlive the
// credentials that allowed it.
import { Repeater } from '@repeaterjs/repeater';
import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { codedError } from './errors.js';
import { SIGN_IN_AGAIN, type Identity } from './identity.js';

const ended = (message: string): ExecutionResult => ({
  errors: [codedError('UNAUTHENTICATED', message)],
});

const expired = () =>
  ended(
    `The token this subscription was opened with has expired; ${SIGN_IN_AGAIN}, then subscribe again.`,
  );

const revoked = (refusal: string) =>
  ended(
    `${refusal}: the subscription opened with it has ended; ${SIGN_IN_AGAIN}, then subscribe again.`,
  );

/** The events of `source` until the token of `identity` expires or is revoked, then an
 * UNAUTHENTICATED result. */
export function untilTokenEnds<T>(
  source: AsyncIterable<T>,
  identity: Pick<Identity, 'expiresAt' | 'whenRevoked'>,
): AsyncIterableIterator<T | ExecutionResult> {
  return new Repeater<T | ExecutionResult>(async (push, stop) => {
    const iterator = source[Symbol.asyncIterator]();
    const last = (result: ExecutionResult) => void push(result).then(() => stop());
    const timer =
      identity.expiresAt === undefined
        ? undefined
        : setTimeout(() => last(expired()), Math.max(0, identity.expiresAt - Date.now()));
    const unwatch = identity.whenRevoked?.((refusal) => last(revoked(refusal)));
    let over = false;
    void stop.then(() => {
      over = true;
      clearTimeout(timer);
      unwatch?.();
      void iterator.return?.();
    });
    try {
      while (!over) {
        const next = await Promise.race([iterator.next(), stop.then(() => undefined)]);
        if (!next || next.done) break;
        await push(next.value);
      }
      stop();
    } catch (error) {
      stop(error);
    }
  });
}

/** Ends every subscription with UNAUTHENTICATED when its identity's token expires or is
 * revoked. */
export function useTokenExpiry(): Plugin {
  return {
    onSubscribe({ args }) {
      const identity = (args.contextValue as { identity?: Identity | null }).identity;
      if (!identity || (identity.expiresAt === undefined && !identity.whenRevoked)) {
        return undefined;
      }
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(untilTokenEnds(result, identity));
        },
      };
    },
  };
}
