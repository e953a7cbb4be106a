import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { getOptionsToken, getStorageToken } from '@nestjs/throttler';
import { throttlerOptions } from './rate-limit.buckets';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitOptions } from './rate-limit.options';
import { TokenBucketStorage } from './token-bucket.storage';

/**
 * The limits: RateLimitGuard as a global guard, with the throttler's options (a throttler per
 * bucket) and its storage (token buckets, in Redis when configured). Nothing when limits are off.
 *
 * The guard counts the `request.user` that authentication sets, so it must run after the
 * authentication guard. Nest applies global guards in the order it registers them: first those
 * of the root module's own providers, then those of the imported modules in the order it scans
 * them (depth first, in the order of `imports`). Import this module last in the root module.
 */
@Module({})
export class RateLimitModule {
  static forRoot(options: RateLimitOptions): DynamicModule {
    if (!options.enabled) return { module: RateLimitModule };
    return {
      module: RateLimitModule,
      providers: [
        { provide: TokenBucketStorage, useFactory: () => new TokenBucketStorage(options) },
        { provide: getStorageToken(), useExisting: TokenBucketStorage },
        { provide: getOptionsToken(), useValue: throttlerOptions(options) },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
