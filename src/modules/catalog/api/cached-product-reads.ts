import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessTokenOf, VerifiedAccessTokens } from '../../../../libs/auth';
import { openSpan, SpanKind } from '../../../../libs/observability';
import { CatalogCache } from '../application/catalog-cache';
import { ProductView } from '../application/product.view';
import { entityTagOf, notModified } from './if-match';
import { toProductResponse } from './product.response';

/** The route of ProductsController.get, as Fastify names it. */
const ROUTE = '/api/v1/products/:id';

/** What GET /api/v1/products/:id answers with for a product. */
interface PresentedProduct {
  entityTag: string;
  body: string;
}

/** ProductsController.get's answer, serialised: made once per cached version of a product. */
function presentProduct(product: ProductView): PresentedProduct {
  return { entityTag: entityTagOf(product.version), body: JSON.stringify(toProductResponse(product)) };
}

/**
 * Answers GET /api/v1/products/:id from this instance's L1 cache before Nest's pipeline (its
 * validation, interceptors, query bus and serialisation), with the body ProductsController.get
 * answers, serialised once per cached version: a hit then costs a lookup. Anything else (not in
 * L1, an unknown or malformed id) goes on to the controller, which reads through the cache and
 * fills it. Fastify's own hooks still run: correlation id, metrics and request log; the request
 * gets its server span here. The route is public and its answer the same for every caller; a
 * route whose answer depended on the caller could not be answered here. A token sent to a public
 * route must still be valid: one this process has already verified is answered here; any other
 * credentials go through Nest, where the policy guard judges them. See docs/decisions/0019.
 */
@Injectable()
export class CachedProductReads implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly cache: CatalogCache,
    private readonly verified: VerifiedAccessTokens,
  ) {}

  /** No credentials, or an access token already verified: nothing for the policy guard to judge. */
  private judged(request: FastifyRequest): boolean {
    if (request.headers.authorization === undefined) return true;
    const token = accessTokenOf(request);
    return token !== undefined && this.verified.principalOf(token) !== undefined;
  }

  onModuleInit(): void {
    // The command-line tools (seed, reindex) run the module without an HTTP server.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onRequest', (request, reply, done) => {
      if (request.method !== 'GET' || request.routeOptions.url !== ROUTE || !this.judged(request)) {
        done();
        return;
      }
      const product = this.cache.presentedProduct((request.params as { id: string }).id, presentProduct);
      if (!product) {
        done();
        return;
      }
      const traceparent = request.headers.traceparent;
      const span = openSpan(`GET ${ROUTE}`, SpanKind.SERVER, typeof traceparent === 'string' ? traceparent : null, {
        'http.request.method': 'GET',
        'http.route': ROUTE,
        'correlation.id': request.id,
      });
      void reply.header('ETag', product.entityTag);
      if (notModified(request.headers['if-none-match'], product.entityTag)) void reply.status(304).send();
      else void reply.type('application/json; charset=utf-8').send(product.body);
      span.end();
    });
  }
}
