export interface CacheOptions {
  /** Redis for L2 and for invalidations across instances; without it the cache is in-process only. */
  redisUrl?: string;
  /** Entries the in-process LRU (L1) keeps; the least recently used go first. */
  l1MaxEntries: number;
  /**
   * Bytes the in-process LRU (L1) keeps, counted as twice each entry's JSON text: the text, and
   * the answer a reader serialises from it and keeps beside it. Large entries (search pages) hit
   * this bound long before `l1MaxEntries`; one larger than the bound is not kept in L1.
   */
  l1MaxBytes?: number;
  /** Names this process in invalidation messages, so it ignores its own; random by default. */
  instanceId?: string;
  /** Starts every Redis key and the invalidation channel, so several apps can share one Redis. */
  keyPrefix?: string;
  /** Longest wait for one Redis command; a slower answer counts as a failure (a miss). */
  redisTimeoutMs?: number;
  /** How long start-up waits for Redis before serving from L1 alone while it keeps reconnecting. */
  connectTimeoutMs?: number;
}

export const CACHE_DEFAULTS = {
  keyPrefix: 'cache',
  l1MaxBytes: 16 * 1024 * 1024,
  redisTimeoutMs: 250,
  connectTimeoutMs: 2_000,
} as const;
