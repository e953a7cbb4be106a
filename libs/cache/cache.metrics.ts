import { getToken, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import { Counter, Gauge, Registry } from 'prom-client';

export const CACHE_HITS = 'cache_hits_total';
export const CACHE_MISSES = 'cache_misses_total';
export const CACHE_LOADS = 'cache_loads_total';
export const REDIS_CACHE_HITS = 'redis_cache_hits_total';
export const REDIS_CACHE_MISSES = 'redis_cache_misses_total';

/**
 * Every `getOrLoad` and `get` counts once: a hit (by level) or a miss. Loads count the cache's
 * loader calls, so for `getOrLoad` misses minus loads is the number of callers that single-flight
 * spared the loader. The Redis counters count reads of Redis itself (only with REDIS_URL): found,
 * or not there (or Redis down).
 */
export interface CacheMetrics {
  hits: Counter<'namespace' | 'level'>;
  misses: Counter<'namespace'>;
  loads: Counter<'namespace'>;
  redisHits: Counter<'namespace'>;
  redisMisses: Counter<'namespace'>;
}

const COUNTERS = {
  hits: { name: CACHE_HITS, help: 'Cache reads answered by L1 (in-process) or L2 (Redis)', labelNames: ['namespace', 'level'] },
  misses: { name: CACHE_MISSES, help: 'Cache reads found in no level', labelNames: ['namespace'] },
  loads: { name: CACHE_LOADS, help: 'Loader calls made by the cache', labelNames: ['namespace'] },
  redisHits: { name: REDIS_CACHE_HITS, help: 'Reads of Redis (L2) that found a current entry', labelNames: ['namespace'] },
  redisMisses: { name: REDIS_CACHE_MISSES, help: 'Reads of Redis (L2) that found none (or Redis did not answer)', labelNames: ['namespace'] },
} as const;

/** The counters in a registry of their own, so several caches in one test keep separate counts. */
export function cacheMetricsIn(registry: Registry): CacheMetrics {
  const counter = (key: keyof typeof COUNTERS) => new Counter({ ...COUNTERS[key], labelNames: [...COUNTERS[key].labelNames], registers: [registry] });
  return {
    hits: counter('hits'),
    misses: counter('misses'),
    loads: counter('loads'),
    redisHits: counter('redisHits'),
    redisMisses: counter('redisMisses'),
  };
}

async function total(counter: Counter, matches: (labels: Record<string, unknown>) => boolean = () => true): Promise<number> {
  return (await counter.get()).values.filter((value) => matches(value.labels)).reduce((sum, value) => sum + value.value, 0);
}

export const cacheMetricProviders = [
  ...Object.values(COUNTERS).map((definition) => makeCounterProvider({ ...definition, labelNames: [...definition.labelNames] })),
  makeGaugeProvider({
    name: 'cache_hit_ratio',
    help: 'Share of cache reads since start answered by L1, by L2 (of the reads L1 could not answer), and by any level',
    labelNames: ['level'],
    inject: [getToken(CACHE_HITS), getToken(CACHE_MISSES)],
    async collect(this: Gauge<'level'>, hits: Counter, misses: Counter) {
      const l1 = await total(hits, (labels) => labels.level === 'l1');
      const l2 = await total(hits, (labels) => labels.level === 'l2');
      const missed = await total(misses);
      const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
      this.set({ level: 'l1' }, share(l1, l1 + l2 + missed));
      this.set({ level: 'l2' }, share(l2, l2 + missed));
      this.set({ level: 'any' }, share(l1 + l2, l1 + l2 + missed));
    },
  }),
];
