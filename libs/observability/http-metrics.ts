import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { Histogram, register } from 'prom-client';
import { CORRELATION_HEADER } from './logging';

const QUIET_ROUTES = /^\/(health|metrics)/;

/**
 * A request's correlation id: the caller's `x-correlation-id` when sane, else a new random UUID
 * (node's, drawn from a buffered pool: a time-ordered id cost a random-source read per request).
 */
export function correlationIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers[CORRELATION_HEADER];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** Fastify options that make the request id the correlation id. */
export const fastifyRequestIds = {
  genReqId: correlationIdOf,
  requestIdHeader: false as const,
};

function route(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/**
 * Echoes the correlation id, logs each request once it is answered, and records
 * `http_request_duration_seconds` by method, route template and status.
 */
export function instrumentHttp(fastify: FastifyInstance, logger: PinoLogger): void {
  const histogram =
    (register.getSingleMetric('http_request_duration_seconds') as Histogram | undefined) ??
    new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(CORRELATION_HEADER, request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const seconds = reply.elapsedTime / 1000;
    histogram.observe({ method: request.method, route: route(request), status: String(reply.statusCode) }, seconds);
    if (!QUIET_ROUTES.test(request.url)) {
      logger.info(
        {
          correlationId: request.id,
          method: request.method,
          url: request.url,
          status: reply.statusCode,
          ms: Math.round(seconds * 1000),
        },
        'request completed',
      );
    }
    done();
  });
}
