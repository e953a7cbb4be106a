import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { Counter, Histogram, register } from 'prom-client';
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

const HTTP_LABELS = ['method', 'route', 'status_class'] as const;

/** The registry's metric of that name, or a new one: a second app in one process (tests) shares the first's. */
function registered<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * Echoes the correlation id, logs each request once it is answered, and records
 * `http_requests_total` and `http_request_duration_seconds` by method, route template and status
 * class ("2xx"): templates and classes keep the label sets bounded whatever URLs callers send.
 */
export function instrumentHttp(fastify: FastifyInstance, logger: PinoLogger): void {
  const requests = registered(
    'http_requests_total',
    () => new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by method, route template and status class', labelNames: HTTP_LABELS }),
  );
  const histogram = registered(
    'http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'http_request_duration_seconds',
        help: 'HTTP request duration by method, route template and status class',
        labelNames: HTTP_LABELS,
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      }),
  );
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(CORRELATION_HEADER, request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const seconds = reply.elapsedTime / 1000;
    const labels = { method: request.method, route: route(request), status_class: `${Math.floor(reply.statusCode / 100)}xx` };
    requests.inc(labels);
    histogram.observe(labels, seconds);
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
