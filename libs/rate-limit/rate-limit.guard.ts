import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerRequest } from '@nestjs/throttler';
import { BucketDefinition, bucketNamed, describeLimit } from './rate-limit.buckets';
import { RATE_LIMIT_SKIP } from './rate-limit.decorators';
import { BucketLimit } from './rate-limit.options';

/** 429: this caller used up a bucket; rendered as problem+json, with `Retry-After` already set. */
export class RateLimitExceededException extends HttpException {
  constructor(bucket: BucketDefinition, limit: BucketLimit, retryAfterSeconds: number) {
    super(
      `Too many requests: the ${bucket.name} limit is ${describeLimit(bucket, limit)}; retry in ${retryAfterSeconds} s`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * The throttler's guard with the IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers:
 * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` in seconds until the bucket is full
 * again) on every limited answer, and `Retry-After` with a 429. Where a route draws from several
 * buckets, the headers describe the one closest to refusing.
 *
 * It counts `request.user`, so it must run after the authentication guard (see RateLimitModule).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** What the headers of each request report so far: the fewest remaining. */
  private readonly reported = new WeakMap<object, number>();

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    // Messages reach their handlers through the outbox, never from a caller.
    if (context.getType() !== 'http') return Promise.resolve(true);
    return Promise.resolve(this.reflector.getAllAndOverride<boolean | undefined>(RATE_LIMIT_SKIP, [context.getHandler(), context.getClass()]) === true);
  }

  protected override async handleRequest({ context, limit, ttl, throttler, blockDuration, getTracker, generateKey }: ThrottlerRequest): Promise<boolean> {
    const { req, res } = this.getRequestResponse(context);
    const name = throttler.name ?? 'default';
    const key = generateKey(context, await getTracker(req, context), name);
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    const remaining = Math.max(0, limit - record.totalHits);
    if (remaining <= (this.reported.get(req) ?? Infinity)) {
      this.reported.set(req, remaining);
      this.setResponseHeader(res, 'RateLimit-Limit', limit);
      this.setResponseHeader(res, 'RateLimit-Remaining', remaining);
      this.setResponseHeader(res, 'RateLimit-Reset', record.timeToExpire);
    }
    if (record.isBlocked) {
      this.setResponseHeader(res, 'Retry-After', record.timeToBlockExpire);
      throw new RateLimitExceededException(bucketNamed(name), { limit, windowMs: ttl }, record.timeToBlockExpire);
    }
    return true;
  }
}
