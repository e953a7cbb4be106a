import { Logger, OnModuleDestroy } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { createBreaker } from '../../../../../libs/resilience';
import { CatalogCache } from '../catalog-cache';
import { searchDocumentOf } from '../index-product/search-document';
import { ProductSearch, ProductSearchIndex, SearchPage } from '../ports/product-search-index';
import { ProductStore } from '../ports/product-store';
import { SearchProductsQuery } from './search-products.query';

/**
 * Search through the cache, and the index behind a circuit breaker. When the index fails (or
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
  ) {
    this.breaker = createBreaker((search: ProductSearch) => index.search(search), {
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
