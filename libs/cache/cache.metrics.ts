import { makeCounterProvider } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';

export const CACHE_HITS = 'cache_hits_total';
export const CACHE_MISSES = 'cache_misses_total';
export const CACHE_LOADS = 'cache_loads_total';

/**
 * Every `getOrLoad` counts once: a hit (by level) or a miss. Loads count loader calls, so
 * misses minus loads is the number of callers that single-flight spared the loader.
 */
export interface CacheMetrics {
  hits: Counter<'namespace' | 'level'>;
  misses: Counter<'namespace'>;
  loads: Counter<'namespace'>;
}

export const cacheMetricProviders = [
  makeCounterProvider({
    name: CACHE_HITS,
    help: 'Cache reads answered by L1 (in-process) or L2 (Redis)',
    labelNames: ['namespace', 'level'],
  }),
  makeCounterProvider({ name: CACHE_MISSES, help: 'Cache reads found in no level', labelNames: ['namespace'] }),
  makeCounterProvider({ name: CACHE_LOADS, help: 'Loader calls made by the cache', labelNames: ['namespace'] }),
];
