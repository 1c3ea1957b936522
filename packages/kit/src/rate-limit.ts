// Rate limits: the one factory of budgets for every service (rate-limiter-flexible), counted in
// process by default and in Redis when a URL is given, so that replicas share one budget.
import type { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { positiveInt } from './config.js';
import { codedError } from './errors.js';
import type { Logger } from './logger.js';

/** `points` per key in each window of `windowSeconds`. */
export interface RateLimitBucket {
  points: number;
  windowSeconds: number;
}

export interface RateLimitRefusal {
  /** The bucket that refused, e.g. `login-account`. */
  bucket: string;
  limit: number;
  windowSeconds: number;
  retryAfterSeconds: number;
}

export interface RateLimit {
  /** Takes `points` from `key`'s budget: undefined when they were there, a refusal otherwise. */
  consume(key: string, points?: number): Promise<RateLimitRefusal | undefined>;
  /** Gives points back, e.g. for an attempt that succeeded and so does not count. */
  refund(key: string, points?: number): Promise<void>;
}

export interface RateLimits {
  driver: 'memory' | 'redis';
  bucket(name: string, settings: RateLimitBucket): RateLimit;
  /** Resolves once Redis is connected, or after `waitMs` (counting in process meanwhile). */
  connected(waitMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimitsOptions {
  /** Keys are prefixed with it, so that two services never count against each other. */
  service: string;
  redisUrl?: string | undefined;
  logger: Logger;
}

const KEY_PREFIX = 'rate-limit';
/** A refusal is never answered with less than this (Retry-After is in whole seconds). */
const MIN_RETRY_AFTER_S = 1;
/** How long a service waits at start for Redis before it counts in process. */
const REDIS_CONNECT_WAIT_MS = 3_000;

export function createRateLimits({ service, redisUrl, logger }: RateLimitsOptions): RateLimits {
  // No offline queue: while Redis is unreachable a call fails at once and the limiter answers
  // from its in-process insurance instead of holding the request.
  const redis = redisUrl
    ? new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
    : undefined;
  redis?.on('error', (error: Error) =>
    logger.warn({ err: error }, 'rate limits: Redis unreachable, counting in process'),
  );
  return {
    driver: redis ? 'redis' : 'memory',
    bucket(name, { points, windowSeconds }) {
      const options = {
        keyPrefix: `${KEY_PREFIX}:${service}:${name}`,
        points,
        duration: windowSeconds,
      };
      const memory = new RateLimiterMemory(options);
      const limiter = redis
        ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory })
        : memory;
      return {
        async consume(key, count = 1) {
          try {
            await limiter.consume(key, count);
            return undefined;
          } catch (rejection) {
            if (!(rejection instanceof RateLimiterRes)) throw rejection;
            return {
              bucket: name,
              limit: points,
              windowSeconds,
              retryAfterSeconds: Math.max(
                MIN_RETRY_AFTER_S,
                Math.ceil(rejection.msBeforeNext / 1000),
              ),
            };
          }
        },
        async refund(key, count = 1) {
          await limiter.reward(key, count);
        },
      };
    },
    async connected(waitMs = REDIS_CONNECT_WAIT_MS) {
      if (!redis || redis.status === 'ready') return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          logger.warn('rate limits: Redis not connected yet, counting in process meanwhile');
          resolve();
        }, waitMs);
        redis.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    async close() {
      redis?.disconnect();
    },
  };
}

/** RATE_LIMITED with `retryAfter` (seconds), answered over HTTP as 429 with Retry-After. */
export function rateLimitedError(refusal: RateLimitRefusal): GraphQLError {
  const { bucket, limit, windowSeconds, retryAfterSeconds } = refusal;
  return codedError(
    'RATE_LIMITED',
    `Too many requests: the limit is ${limit} per ${windowSeconds} s (${bucket}); retry in ${retryAfterSeconds} s.`,
    {
      extensions: {
        retryAfter: retryAfterSeconds,
        bucket,
        limit,
        windowSeconds,
        http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
      },
    },
  );
}

/** The router's per-account budget of credential attempts (the security subgraph locks sign-in
 * itself: subgraphs/security/src/sign-in-throttle.ts). */
export const loginRateLimitEnvShape = {
  RATE_LIMIT_LOGIN_POINTS: positiveInt(10),
  RATE_LIMIT_LOGIN_WINDOW_SECONDS: positiveInt(60),
};

export const loginRateLimitOf = (env: {
  RATE_LIMIT_LOGIN_POINTS: number;
  RATE_LIMIT_LOGIN_WINDOW_SECONDS: number;
}): RateLimitBucket => ({
  points: env.RATE_LIMIT_LOGIN_POINTS,
  windowSeconds: env.RATE_LIMIT_LOGIN_WINDOW_SECONDS,
});

/** An account's key in the credential buckets: the email as the security subgraph stores it. */
export const accountKey = (email: string) => email.trim().toLowerCase();
