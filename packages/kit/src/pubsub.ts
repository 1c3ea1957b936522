// One pubsub interface for realtime events: in process by default, Redis when a URL is set,
// so that a subscriber on one replica sees what another replica published.
import { createPubSub, type PubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import { setMaxListeners } from 'node:events';

export type EventMap = Record<string, [unknown] | [string | number, unknown]>;

export interface PubSubHandle<TEvents extends EventMap> {
  pubsub: PubSub<TEvents>;
  driver: 'memory' | 'redis';
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function openPubSub<TEvents extends EventMap>(redisUrl?: string): PubSubHandle<TEvents> {
  if (!redisUrl) {
    // Every subscriber of a topic is one listener: many of them are normal, not a leak.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    return {
      pubsub: createPubSub<TEvents>({ eventTarget }),
      driver: 'memory',
      ping: async () => {},
      close: async () => {},
    };
  }
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  // The event target publishes without awaiting: a publish that fails (Redis away, or the
  // handle closing while a subscription's last words are sent) would be an unhandled
  // rejection, which ends the process. Redis pubsub is at most once anyway; what must not be
  // lost is read from the database by the subscribers (e.g. the ui subgraph's update log).
  const publisher = {
    publish: (channel: string, message: string) =>
      publishClient.publish(channel, message).catch(() => 0),
  } as unknown as Redis;
  const eventTarget = createRedisEventTarget({ publishClient: publisher, subscribeClient });
  return {
    pubsub: createPubSub<TEvents>({ eventTarget }),
    driver: 'redis',
    ping: async () => void (await publishClient.ping()),
    // quit() sends what is queued before it closes; disconnect() would reject it.
    close: async () => {
      await Promise.all([publishClient.quit(), subscribeClient.quit()]).catch(() => {});
    },
  };
}
