import { getSchemaPath, type HeadersObject, type OpenAPIObject, type OperationObject, type ResponseObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsSchema } from '../http';
import { BUCKETS, describeLimit } from './rate-limit.buckets';
import { RATE_LIMIT_EXTENSION, RateLimitExtension } from './rate-limit.decorators';
import { RateLimitExceededException } from './rate-limit.guard';
import { RateLimitOptions } from './rate-limit.options';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

const RATE_LIMIT_HEADERS: HeadersObject = {
  'RateLimit-Limit': { description: 'Requests the bucket holds when full', schema: { type: 'integer', minimum: 1 } },
  'RateLimit-Remaining': { description: 'Requests left in the bucket', schema: { type: 'integer', minimum: 0 } },
  'RateLimit-Reset': { description: 'Seconds until the bucket is full again', schema: { type: 'integer', minimum: 0 } },
};

const RETRY_AFTER: HeadersObject = {
  'Retry-After': { description: 'Seconds until the next request is allowed', schema: { type: 'integer', minimum: 1 } },
};

type Documented = OperationObject & { [RATE_LIMIT_EXTENSION]?: RateLimitExtension };

function tooManyRequests(path: string, extension: RateLimitExtension, options: RateLimitOptions): ResponseObject {
  const buckets = BUCKETS.filter((b) => b.profile === extension.profile && (b.per !== 'account' || extension.accountField !== undefined));
  const limits = buckets.map((b) => describeLimit(b, b.limitOf(options.buckets)));
  const [first] = buckets;
  const limit = first.limitOf(options.buckets);
  const example = new RateLimitExceededException(first, limit, Math.ceil(limit.windowMs / limit.limit / 1000));
  return {
    description: `Too many requests: at most ${limits.join(', and ')}. Nothing was done; retry after Retry-After seconds`,
    headers: { ...RETRY_AFTER, ...RATE_LIMIT_HEADERS },
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { $ref: getSchemaPath(ProblemDetailsSchema) },
        example: { type: 'about:blank', title: STATUS_CODES[429], status: 429, detail: example.message, instance: path },
      },
    },
  };
}

/**
 * Adds what RateLimitGuard does to the OpenAPI document, which decorators alone cannot say for
 * routes that name no profile: every limited operation documents 429 (problem+json with
 * `Retry-After`) and the RateLimit headers of its successes, and names its profile in
 * `x-rate-limit`. Routes under SkipRateLimit keep `x-rate-limit: { profile: 'none' }` and
 * nothing else. With limits off, nothing is documented.
 */
export function documentRateLimits(document: OpenAPIObject, options: RateLimitOptions): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation: Documented | undefined = item[method];
      if (!operation) continue;
      const extension = operation[RATE_LIMIT_EXTENSION] ?? { profile: 'default' };
      if (!options.enabled) {
        delete operation[RATE_LIMIT_EXTENSION];
        continue;
      }
      operation[RATE_LIMIT_EXTENSION] = extension;
      if (extension.profile === 'none') continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (/^2\d\d$/.test(status) && response && !('$ref' in response)) response.headers = { ...response.headers, ...RATE_LIMIT_HEADERS };
      }
      operation.responses[429] = tooManyRequests(path, extension, options);
    }
  }
  return document;
}
