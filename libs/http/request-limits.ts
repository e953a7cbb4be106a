import { HttpException, HttpStatus } from '@nestjs/common';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

/** What a route accepts when it declares no `@BodyLimit`: far more than an order or a stock change needs. */
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/** Longer than any URL of the API (RFC 9110 asks for at least 8,000 octets); longer ones get 414. */
export const MAX_URL_LENGTH = 8 * 1024;

/** Path parameters are UUIDs; a longer segment in a parameter's place gets 414. */
export const MAX_PARAM_LENGTH = 100;

/**
 * Request line and headers together (Node's default, pinned so `--max-http-header-size` cannot
 * raise it): room for a bearer token, refused with 431 beyond it.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

type RouteConfig = { bodyLimit?: number } & Record<string, unknown>;

/**
 * Lets one route accept bodies of up to `bytes` instead of the server's default. It is carried
 * in the route's Fastify config (which Nest passes on from the handler's metadata) and made the
 * route's own bodyLimit by `enforceRequestLimits`. Merges with config set before it.
 */
export function BodyLimit(bytes: number): MethodDecorator {
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new RangeError(`a body limit is a positive number of bytes (got ${bytes})`);
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as RouteConfig | undefined) ?? {};
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, bodyLimit: bytes }, handler);
  };
}

/** Fastify and Node settings that bound what one request may make the server read. */
export function fastifyRequestLimits(
  bodyLimitBytes: number,
): Pick<FastifyServerOptions, 'bodyLimit' | 'routerOptions'> & { http: { maxHeaderSize: number } } {
  return { bodyLimit: bodyLimitBytes, routerOptions: { maxParamLength: MAX_PARAM_LENGTH }, http: { maxHeaderSize: MAX_HEADER_BYTES } };
}

/**
 * Gives each route declaring `@BodyLimit` its own limit, and refuses a URL longer than
 * MAX_URL_LENGTH with 414 before anything reads it. Call before the routes are registered
 * (before Swagger's setup and `app.init()`), and before hooks that answer requests themselves.
 */
export function enforceRequestLimits(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const { bodyLimit } = (route.config ?? {}) as RouteConfig;
    if (bodyLimit !== undefined) route.bodyLimit = bodyLimit;
  });
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.raw.url !== undefined && request.raw.url.length > MAX_URL_LENGTH) {
      done(new HttpException(`the URL is longer than ${MAX_URL_LENGTH} characters`, HttpStatus.URI_TOO_LONG));
      return;
    }
    done();
  });
}
