import { DynamicModule, Global, Module } from '@nestjs/common';
import { getToken } from '@willsoto/nestjs-prometheus';
import { CACHE_HITS, CACHE_LOADS, CACHE_MISSES, CacheMetrics, cacheMetricProviders } from './cache.metrics';
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
          useFactory: (hits: CacheMetrics['hits'], misses: CacheMetrics['misses'], loads: CacheMetrics['loads']) =>
            new TwoLevelCache(options, { hits, misses, loads }),
          inject: [getToken(CACHE_HITS), getToken(CACHE_MISSES), getToken(CACHE_LOADS)],
        },
      ],
      exports: [TwoLevelCache],
    };
  }
}
