// With Redis, a revocation reaches every verifier at once, without waiting for its next poll:
// the feed here never answers anything new (its poll comes once an hour), so only the push
// can fill the lists.
import { createLogger, followRevocations, openPubSub, RevocationList } from '../src/index.js';
import { REVOCATIONS_TOPIC, type Revocation, type RevocationEvents } from '../src/revocations.js';
import { waitFor } from '../src/testing.js';

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

it('pushes a revocation to every follower over Redis', async () => {
  const logger = createLogger('revocations-test', 'silent');
  const lists = [new RevocationList(), new RevocationList()];
  const followers = lists.map((list) =>
    followRevocations(list, {
      load: async () => ({ revocations: [], cursor: new Date().toISOString() }),
      intervalMs: 3_600_000,
      redisUrl,
      logger,
    }),
  );
  const publisher = openPubSub<RevocationEvents>(redisUrl);
  try {
    await Promise.all(followers.map((follower) => follower.firstPoll));
    const revocation: Revocation = {
      kind: 'session',
      id: `session-${Date.now()}`,
      until: new Date(Date.now() + 60_000).toISOString(),
    };
    const facts = { userId: 'user-1', sessionId: revocation.id };
    // A subscriber may join the channel a moment after its follower starts: publish until
    // both lists have it (publishing it again changes nothing).
    await waitFor(async () => {
      publisher.pubsub.publish(REVOCATIONS_TOPIC, [revocation]);
      return lists.every((list) => list.refusal(facts) !== undefined);
    }, 'the revocation in both lists');
    expect(lists.map((list) => list.refusal({ userId: 'user-1', sessionId: 'other' }))).toEqual([
      undefined,
      undefined,
    ]);
  } finally {
    await publisher.close();
    await Promise.all(followers.map((follower) => follower.close()));
  }
});
