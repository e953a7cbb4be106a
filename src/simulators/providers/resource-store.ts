import { LRUCache } from 'lru-cache';

/**
 * Resources (intents, orders, messages) kept per kind: the newest ones only, so a simulator that
 * serves a long load test holds bounded memory; a resource that old is not touched again.
 */
const RESOURCES_KEPT = 100_000;

/**
 * The newest `kept` entries. Bounded by `maxSize` with a size of one an entry rather than by
 * `max`, with which lru-cache allocates its arrays for every entry up front: seven stores of
 * 100,000 took about 20 MB of a simulator that holds a few thousand.
 */
export function resourceStore<V extends object>(kept = RESOURCES_KEPT): LRUCache<string, V> {
  return new LRUCache<string, V>({ maxSize: kept, sizeCalculation: () => 1 });
}
