import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { normalizeIp, ThrottlerModuleOptions, ThrottlerOptions } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { RATE_LIMIT_ACCOUNT_FIELD, RATE_LIMIT_PROFILE } from './rate-limit.decorators';
import { BucketLimit, RateLimitOptions, RateLimitProfile } from './rate-limit.options';

/** Who a bucket is counted for. */
export type BucketKey = 'caller' | 'ip' | 'account';

/** One bucket a request of a profile draws from; a profile may have several (`auth`: IP and account). */
export interface BucketDefinition {
  name: string;
  profile: RateLimitProfile;
  per: BucketKey;
  limitOf(buckets: RateLimitOptions['buckets']): BucketLimit;
}

export const BUCKETS: readonly BucketDefinition[] = [
  { name: 'default', profile: 'default', per: 'caller', limitOf: (b) => b.default },
  { name: 'auth', profile: 'auth', per: 'ip', limitOf: (b) => b.auth },
  { name: 'auth-account', profile: 'auth', per: 'account', limitOf: (b) => b.authAccount },
  { name: 'orders', profile: 'orders', per: 'caller', limitOf: (b) => b.orders },
];

const PER: Record<BucketKey, string> = { caller: 'per caller', ip: 'per IP address', account: 'per account' };

/** `5 per 60 s per caller` */
export function describeLimit(bucket: BucketDefinition, { limit, windowMs }: BucketLimit): string {
  return `${limit} per ${windowMs / 1000} s ${PER[bucket.per]}`;
}

export function bucketNamed(name: string): BucketDefinition {
  const bucket = BUCKETS.find((b) => b.name === name);
  if (!bucket) throw new Error(`no rate limit bucket is named ${name}`);
  return bucket;
}

/** Metadata only: a Reflector needs nothing injected. */
const reflector = new Reflector();

export function profileOf(context: ExecutionContext): RateLimitProfile {
  return reflector.getAllAndOverride<RateLimitProfile | undefined>(RATE_LIMIT_PROFILE, [context.getHandler(), context.getClass()]) ?? 'default';
}

interface HttpRequest {
  ip: string;
  body?: unknown;
  /** The principal the authentication guard found in the access token; absent when anonymous. */
  user?: { id?: unknown };
}

function ipOf(request: HttpRequest): string {
  // An IPv6 client controls its whole /64: counting its addresses apart would multiply its limit.
  return `ip:${normalizeIp(request.ip)}`;
}

/** The user the access token names, else the client's IP address. */
function callerOf(request: HttpRequest): string {
  const id = request.user?.id;
  return typeof id === 'string' && id !== '' ? `user:${id}` : ipOf(request);
}

/** The account the body names in the route's account field, as the identity context would match it. */
function accountOf(context: ExecutionContext): string | undefined {
  const field = reflector.getAllAndOverride<string | undefined>(RATE_LIMIT_ACCOUNT_FIELD, [context.getHandler(), context.getClass()]);
  if (field === undefined) return undefined;
  const { body } = context.switchToHttp().getRequest<HttpRequest>();
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
  // Anything else fails validation after the guard, so no attempt is made with it.
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return `account:${value.normalize('NFKC').trim().toLowerCase()}`;
}

const TRACKERS: Record<BucketKey, (request: HttpRequest, context: ExecutionContext) => string> = {
  caller: callerOf,
  ip: ipOf,
  // Only reached when accountOf found one (see skipIf below).
  account: (_request, context) => accountOf(context) ?? '',
};

/**
 * The throttler's options: one named throttler per bucket, each applying only to routes of its
 * profile. A key is the bucket and a digest of whom it counts (so no IP address or e-mail
 * address is written to Redis), the same for every route of the profile: a caller's `default`
 * budget is shared by all the routes that use it.
 */
export function throttlerOptions(options: RateLimitOptions): ThrottlerModuleOptions {
  const throttlers: ThrottlerOptions[] = BUCKETS.map((bucket) => {
    const { limit, windowMs } = bucket.limitOf(options.buckets);
    return {
      name: bucket.name,
      limit,
      ttl: windowMs,
      skipIf: (context) => profileOf(context) !== bucket.profile || (bucket.per === 'account' && accountOf(context) === undefined),
      getTracker: (request, context) => TRACKERS[bucket.per](request as HttpRequest, context),
    };
  });
  return {
    throttlers,
    generateKey: (_context, tracker, name) => `${name}:${createHash('sha256').update(tracker).digest('base64url')}`,
  };
}
