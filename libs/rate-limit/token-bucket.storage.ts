import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { randomUUID } from 'node:crypto';
import { ThrottledLog } from '../cache';
import { LocalBuckets } from './local-buckets';
import { RATE_LIMIT_DEFAULTS, RateLimitOptions } from './rate-limit.options';
import { RedisBuckets } from './redis-buckets';
import { Take } from './token-bucket';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The throttler's storage as token buckets (see takeToken): in Redis when `redisUrl` is set, so
 * every instance draws from the same bucket, else in this process. While Redis cannot answer
 * (down, slow, not connected yet), buckets are counted in this process instead: a request is
 * never refused or held up because of Redis, and each instance still applies the limits on its
 * own. Failures are logged at most once per 10 s. See docs/decisions/0024.
 *
 * The throttler's `blockDuration` does not apply: a refused caller waits for the next token.
 */
export class TokenBucketStorage implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly failures = new ThrottledLog(this.logger);
  private readonly local: LocalBuckets;
  private redis?: RedisBuckets;

  constructor(private readonly options: Pick<RateLimitOptions, 'redisUrl' | 'keyPrefix' | 'redisTimeoutMs' | 'connectTimeoutMs' | 'localMaxBuckets'>) {
    this.local = new LocalBuckets(options.localMaxBuckets ?? RATE_LIMIT_DEFAULTS.localMaxBuckets);
  }

  /** Connects to Redis, waiting at most `connectTimeoutMs`: an absent Redis never blocks start-up. */
  async onModuleInit(): Promise<void> {
    if (!this.options.redisUrl) {
      // The cache already says at start that REDIS_URL is not set; one process counting alone is the expected default.
      this.logger.debug('rate limits are counted in this process: REDIS_URL is not set');
      return;
    }
    this.redis = await RedisBuckets.create({
      url: this.options.redisUrl,
      // CLIENT SETNAME refuses spaces, and a refused name would fail every connection.
      clientName: `${this.options.keyPrefix}:rate-limit:${randomUUID()}`.replace(/[^\w.:-]/g, '_'),
      timeoutMs: this.options.redisTimeoutMs ?? RATE_LIMIT_DEFAULTS.redisTimeoutMs,
      connectTimeoutMs: this.options.connectTimeoutMs ?? RATE_LIMIT_DEFAULTS.connectTimeoutMs,
      onConnectionError: (error) => this.failures.warn('connection', 'Redis connection for rate limits failed', error),
    });
    if (await this.redis.connect()) {
      this.logger.log(`rate limits are counted in Redis at ${this.redis.host}, shared by every instance`);
    } else {
      this.logger.warn(
        `REDIS_URL: Redis at ${this.redis.host} is not reachable: rate limits are counted in each instance until it is, reconnecting in the background`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }

  /** `ttl` is the bucket's window in ms; the answer's times are in seconds, as the throttler's guard expects. */
  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const take = await this.take(`${this.options.keyPrefix}:rate:${key}`, limit, ttl);
    return {
      totalHits: limit - take.remaining,
      timeToExpire: Math.ceil(take.msToFull / 1000),
      isBlocked: !take.allowed,
      timeToBlockExpire: Math.ceil(take.retryAfterMs / 1000),
    };
  }

  private async take(key: string, capacity: number, windowMs: number): Promise<Take> {
    if (this.redis?.ready) {
      try {
        return await this.redis.take(key, capacity, windowMs);
      } catch (error) {
        this.failures.warn('take', 'Redis rate limit check failed; counted in this instance instead', error);
      }
    }
    return this.local.take(key, capacity, windowMs);
  }
}
