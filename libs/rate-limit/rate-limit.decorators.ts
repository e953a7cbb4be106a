import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { RateLimitProfile } from './rate-limit.options';

export const RATE_LIMIT_PROFILE = 'rate-limit:profile';
export const RATE_LIMIT_ACCOUNT_FIELD = 'rate-limit:account-field';
export const RATE_LIMIT_SKIP = 'rate-limit:skip';
/** Names each operation's profile in the OpenAPI document, for documentRateLimits. */
export const RATE_LIMIT_EXTENSION = 'x-rate-limit';

export interface RateLimitExtension {
  profile: RateLimitProfile | 'none';
  accountField?: string;
}

type Decorator = MethodDecorator & ClassDecorator;

/**
 * The limit profile of a route (or of every route of a controller); a route without one is
 * limited by `default`. `auth` counts per client IP and, with `account`, also per account: the
 * named body field, trimmed and lower-cased (`@RateLimit('auth', { account: 'email' })`).
 */
export function RateLimit(profile: 'auth', options?: { account: string }): Decorator;
export function RateLimit(profile: Exclude<RateLimitProfile, 'auth'>): Decorator;
export function RateLimit(profile: RateLimitProfile, options?: { account: string }): Decorator {
  return applyDecorators(
    SetMetadata(RATE_LIMIT_PROFILE, profile),
    ...(options ? [SetMetadata(RATE_LIMIT_ACCOUNT_FIELD, options.account)] : []),
    ApiExtension(RATE_LIMIT_EXTENSION, { profile, accountField: options?.account } satisfies RateLimitExtension),
  );
}

/**
 * Exempts routes from every limit: only for callers that must never be told to wait, such as the
 * orchestrator's health probes (a 429 on a liveness probe restarts the instance).
 */
export function SkipRateLimit(): Decorator {
  return applyDecorators(SetMetadata(RATE_LIMIT_SKIP, true), ApiExtension(RATE_LIMIT_EXTENSION, { profile: 'none' } satisfies RateLimitExtension));
}
