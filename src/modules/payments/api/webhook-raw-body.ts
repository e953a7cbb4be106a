import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pipeline, Transform } from 'node:stream';

/** The route of PaymentWebhooksController.receive, as Fastify names it. */
export const WEBHOOK_ROUTE = '/api/v1/payments/webhooks/:provider';

const rawBodies = new WeakMap<FastifyRequest['raw'], Buffer>();

/** The bytes of a webhook's body as they arrived, which its signature covers; JSON parsing may not give them back. */
export function rawBodyOf(request: FastifyRequest): Buffer | undefined {
  return rawBodies.get(request.raw);
}

/**
 * Keeps a copy of the webhook route's body as it streams to the JSON parser, which still enforces
 * the route's body limit, its depth and its syntax: the copy is never longer than what the limit
 * lets through. Other routes' bodies are not copied.
 */
@Injectable()
export class WebhookRawBody implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    // The command-line tools run the module without an HTTP server.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('preParsing', (request, _reply, payload, done) => {
      if (request.routeOptions.url !== WEBHOOK_ROUTE) {
        done(null, payload);
        return;
      }
      const chunks: Buffer[] = [];
      const copy = new Transform({
        transform(chunk: Buffer, _encoding, next) {
          chunks.push(chunk);
          next(null, chunk);
        },
        flush(next) {
          rawBodies.set(request.raw, Buffer.concat(chunks));
          next();
        },
      });
      // The parser reads the copy as it would the request; an aborted request errors both.
      done(null, pipeline(payload, copy, () => undefined));
    });
  }
}
