// A subscription lives no longer than the token it was opened with: when the token expires,
// the subscriber gets UNAUTHENTICATED and the stream ends (and with it the work behind it), so
// a stream cannot outlive the credentials that allowed it.
import { Repeater } from '@repeaterjs/repeater';
import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { codedError } from './errors.js';
import { SIGN_IN_AGAIN, type Identity } from './identity.js';

const expired = (): ExecutionResult => ({
  errors: [
    codedError(
      'UNAUTHENTICATED',
      `The token this subscription was opened with has expired; ${SIGN_IN_AGAIN}, then subscribe again.`,
    ),
  ],
});

/** The events of `source` until `expiresAt` (epoch ms), then an UNAUTHENTICATED result. */
export function untilExpiry<T>(
  source: AsyncIterable<T>,
  expiresAt: number,
): AsyncIterableIterator<T | ExecutionResult> {
  return new Repeater<T | ExecutionResult>(async (push, stop) => {
    const iterator = source[Symbol.asyncIterator]();
    const timer = setTimeout(
      () => {
        void push(expired()).then(() => stop());
      },
      Math.max(0, expiresAt - Date.now()),
    );
    let ended = false;
    void stop.then(() => {
      ended = true;
      clearTimeout(timer);
      void iterator.return?.();
    });
    try {
      while (!ended) {
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

/** Ends every subscription with UNAUTHENTICATED when its identity's token expires. */
export function useTokenExpiry(): Plugin {
  return {
    onSubscribe({ args }) {
      const identity = (args.contextValue as { identity?: Identity | null }).identity;
      const expiresAt = identity?.expiresAt;
      if (expiresAt === undefined) return undefined;
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(untilExpiry(result, expiresAt));
        },
      };
    },
  };
}
