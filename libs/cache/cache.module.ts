import { DynamicModule, Global, Module } from '@nestjs/common';
import { getToken } from '@willsoto/nestjs-prometheus';
import { CACHE_HITS, CACHE_LOADS, CACHE_MISSES, CacheMetrics, cacheMetricProviders, REDIS_CACHE_HITS, REDIS_CACHE_MISSES } from './cache.metrics';
import { CacheOptions } from './cache.options';
import { TwoLevelCache } from './two-level-cache';

/** Provides one `TwoLevelCache` to the whole application (global). */
@Global()
@Module({})
export class CacheModule {
  static forRoot(options: CacheOptions): DynamicModule {
    return {
      module: CacheModule,
      providers: [
        ...cacheMetricProviders,
        {
          provide: TwoLevelCache,
          useFactory: (
            hits: CacheMetrics['hits'],
            misses: CacheMetrics['misses'],
            loads: CacheMetrics['loads'],
            redisHits: CacheMetrics['redisHits'],
            redisMisses: CacheMetrics['redisMisses'],
          ) => new TwoLevelCache(options, { hits, misses, loads, redisHits, redisMisses }),
          inject: [CACHE_HITS, CACHE_MISSES, CACHE_LOADS, REDIS_CACHE_HITS, REDIS_CACHE_MISSES].map(getToken),
        },
      ],
      exports: [TwoLevelCache],
    };
  }
}
