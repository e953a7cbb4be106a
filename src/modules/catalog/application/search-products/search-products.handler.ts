import { Logger, OnModuleDestroy } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { performance } from 'node:perf_hooks';
import type { Counter, Histogram } from 'prom-client';
import { createBreaker } from '../../../../../libs/resilience';
import { CatalogCache } from '../catalog-cache';
import { searchDocumentOf } from '../index-product/search-document';
import { ProductSearch, ProductSearchIndex, SearchPage } from '../ports/product-search-index';
import { ProductStore } from '../ports/product-store';
import { SearchProductsQuery } from './search-products.query';

export const SEARCH_QUERIES = 'search_queries_total';
export const SEARCH_QUERY_DURATION = 'search_query_duration_seconds';

/**
 * Search through the cache, and the index behind a circuit breaker (each query that reaches the
 * index counted and timed by backend and result). When the index fails (or
 * its circuit is open), shoppers still get products, from the write model, marked degraded
 * instead of a 5xx; such pages are not cached.
 */
@QueryHandler(SearchProductsQuery)
export class SearchProductsHandler implements IQueryHandler<SearchProductsQuery>, OnModuleDestroy {
  private readonly logger = new Logger(SearchProductsHandler.name);
  private readonly breaker;

  constructor(
    index: ProductSearchIndex,
    private readonly products: ProductStore,
    private readonly cache: CatalogCache,
    @InjectMetric(SEARCH_QUERIES) queries: Counter<'backend' | 'result'>,
    @InjectMetric(SEARCH_QUERY_DURATION) duration: Histogram<'backend'>,
  ) {
    const { backend } = index;
    const timedSearch = async (search: ProductSearch) => {
      const startedAt = performance.now();
      try {
        const page = await index.search(search);
        queries.inc({ backend, result: 'ok' });
        return page;
      } catch (error) {
        queries.inc({ backend, result: 'error' });
        throw error;
      } finally {
        duration.observe({ backend }, (performance.now() - startedAt) / 1000);
      }
    };
    this.breaker = createBreaker(timedSearch, {
      name: 'catalog-search',
      timeoutMs: 5_000,
      volumeThreshold: 5,
    });
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
  }

  async execute({ search }: SearchProductsQuery): Promise<SearchPage> {
    try {
      return await this.cache.search(search, () => this.breaker.fire(search));
    } catch (error) {
      this.logger.warn(`search index unavailable, answering from the write model: ${String(error)}`);
      const products = await this.products.scanForSearch(search);
      return { hits: products.map(searchDocumentOf), next: null, degraded: true };
    }
  }
}
