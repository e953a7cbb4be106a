/** `limit` requests per `windowMs`: a bucket of `limit` tokens that refills evenly over `windowMs`. */
export interface BucketLimit {
  limit: number;
  windowMs: number;
}

/**
 * What a route is limited by; `default` for every route that names none.
 * - `default`: every read and write, per caller (the user, else the client IP).
 * - `auth`: sign-in and registration, per client IP and per account named in the body.
 * - `orders`: placing orders, per caller: the brake on card testing.
 */
export type RateLimitProfile = 'default' | 'auth' | 'orders';

export interface RateLimitOptions {
  /** False: no route is limited and nothing is counted. */
  enabled: boolean;
  /** Redis holds the buckets, shared by every instance; without it each instance counts alone. */
  redisUrl?: string;
  /** Starts every Redis key. */
  keyPrefix: string;
  buckets: {
    default: BucketLimit;
    /** The `auth` profile per client IP. */
    auth: BucketLimit;
    /** The `auth` profile per account (the normalised body field the route names). */
    authAccount: BucketLimit;
    orders: BucketLimit;
  };
  /** Longest wait for Redis on a request; slower counts as a failure (the bucket is counted locally). */
  redisTimeoutMs?: number;
  /** How long start-up waits for Redis before counting locally while it keeps reconnecting. */
  connectTimeoutMs?: number;
  /** Buckets one instance keeps in memory; the least recently used go first (as if full). */
  localMaxBuckets?: number;
}

export const RATE_LIMIT_DEFAULTS = {
  buckets: {
    default: { limit: 600, windowMs: 60_000 },
    auth: { limit: 20, windowMs: 60_000 },
    authAccount: { limit: 10, windowMs: 900_000 },
    orders: { limit: 5, windowMs: 60_000 },
  },
  redisTimeoutMs: 250,
  connectTimeoutMs: 2_000,
  localMaxBuckets: 100_000,
} as const;
