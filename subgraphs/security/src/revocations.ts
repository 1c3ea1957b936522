// Revocations, the security subgraph's side: what it records is held in its own verifier's
// list at once, pushed over Redis to every other verifier (when set), and served at
// /revocations for the verifiers' polls. The list also follows the table, so that a revocation
// another replica of this subgraph made is refused here too.
import {
  codedError,
  followRevocations,
  openPubSub,
  RevocationList,
  REVOCATIONS_TOPIC,
  type Database,
  type Logger,
  type Revocation,
  type RevocationEvents,
} from '@supergraph/kit';
import type { tables } from './db/schema.js';
import { purgeRevocations, revocationFeedPage } from './db/revocations.js';

export interface Revocations {
  list: RevocationList;
  /** After the transaction that recorded them commits: refuse here at once, and push. */
  announce(made: readonly Revocation[]): void;
  /** GET /revocations?since=<ISO time> */
  route(request: Request): Promise<Response>;
  close(): Promise<void>;
}

const PURGE_EVERY_MS = 10 * 60_000;

export function openRevocations(
  db: Database<typeof tables>,
  { redisUrl, pollMs, logger }: { redisUrl?: string | undefined; pollMs: number; logger: Logger },
): Revocations {
  const list = new RevocationList();
  const follower = followRevocations(list, {
    load: (since) => revocationFeedPage(db, since ? new Date(since) : undefined),
    intervalMs: pollMs,
    logger,
  });
  const pubsub = redisUrl ? openPubSub<RevocationEvents>(redisUrl) : undefined;
  const purge = setInterval(() => {
    purgeRevocations(db).catch((error: unknown) =>
      logger.warn({ err: error }, 'purging ended revocations failed'),
    );
  }, PURGE_EVERY_MS);
  purge.unref();

  return {
    list,
    announce(made) {
      if (made.length === 0) return;
      list.add(made);
      pubsub?.pubsub.publish(REVOCATIONS_TOPIC, [...made]);
    },
    async route(request) {
      if (request.method !== 'GET') {
        return new Response(null, { status: 405, headers: { allow: 'GET' } });
      }
      const since = new URL(request.url).searchParams.get('since');
      const sinceTime = since === null ? undefined : new Date(since);
      if (sinceTime && Number.isNaN(sinceTime.getTime())) {
        const error = codedError('BAD_USER_INPUT', '`since` must be an ISO-8601 time.', {
          extensions: { field: 'since' },
        });
        return Response.json({ errors: [error.toJSON()] }, { status: 400 });
      }
      const page = await revocationFeedPage(db, sinceTime);
      return Response.json(page, { headers: { 'cache-control': 'no-store' } });
    },
    async close() {
      clearInterval(purge);
      await follower.close();
      await pubsub?.close();
    },
  };
}
