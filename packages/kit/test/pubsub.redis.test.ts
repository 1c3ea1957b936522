// Pubsub through the machine's Redis (REDIS_URL): an event published by one instance reaches
// a subscriber of another, as across two replicas of a subgraph.
import { openPubSub } from '../src/pubsub.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

type Events = { 'memory:created': [string, { id: string }] };

describe('pubsub on Redis', () => {
  const a = openPubSub<Events>(REDIS_URL);
  const b = openPubSub<Events>(REDIS_URL);
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('delivers across instances, in order, only on the subscribed topic', async () => {
    expect(a.driver).toBe('redis');
    await a.ping();
    const topic = `fold-${Date.now()}`;
    const iterator = b.pubsub.subscribe('memory:created', topic)[Symbol.asyncIterator]();
    // Redis registers the subscription asynchronously: probe until the subscriber hears.
    const first = iterator.next();
    let heard = false;
    for (let i = 0; i < 50 && !heard; i += 1) {
      a.pubsub.publish('memory:created', topic, { id: 'probe' });
      heard = await Promise.race([
        first.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20)),
      ]);
    }
    expect(heard).toBe(true);
    a.pubsub.publish('memory:created', `other-${topic}`, { id: 'wrong topic' });
    for (const id of ['one', 'two', 'three']) a.pubsub.publish('memory:created', topic, { id });
    const received: string[] = [];
    while (received.length < 3) {
      const { id } = (await iterator.next()).value as { id: string };
      if (id !== 'probe') received.push(id);
    }
    await iterator.return?.();
    expect(received).toEqual(['one', 'two', 'three']);
  });
});

describe('pubsub in process', () => {
  it('delivers without Redis', async () => {
    const local = openPubSub<Events>();
    expect(local.driver).toBe('memory');
    const iterator = local.pubsub.subscribe('memory:created', 'x')[Symbol.asyncIterator]();
    const next = iterator.next();
    local.pubsub.publish('memory:created', 'x', { id: 'local' });
    expect((await next).value).toEqual({ id: 'local' });
    await iterator.return?.();
    await local.close();
  });
});
