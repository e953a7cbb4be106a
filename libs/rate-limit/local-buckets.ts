import { LRUCache } from 'lru-cache';
import { BucketState, Take, takeToken } from './token-bucket';

/**
 * Token buckets in this process. A bucket is dropped once it would be full again (so memory holds
 * only callers seen within their window), and the least recently used go first past `maxBuckets`.
 */
export class LocalBuckets {
  private readonly buckets: LRUCache<string, BucketState>;

  constructor(
    maxBuckets: number,
    private readonly now: () => number = Date.now,
  ) {
    // Counted by `maxSize` rather than `max`, with which lru-cache allocates its arrays (4.4 MB for
    // the default 100,000) up front, however few callers come.
    this.buckets = new LRUCache({ maxSize: maxBuckets, sizeCalculation: () => 1 });
  }

  take(key: string, capacity: number, windowMs: number): Take {
    const { state, take } = takeToken(this.buckets.get(key), this.now(), capacity, windowMs);
    this.buckets.set(key, state, { ttl: take.msToFull });
    return take;
  }
}
