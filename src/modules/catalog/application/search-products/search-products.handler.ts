import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CatalogCache } from '../catalog-cache';
import { ProductSearchIndex, SearchPage } from '../ports/product-search-index';
import { SearchProductsQuery } from './search-products.query';

@QueryHandler(SearchProductsQuery)
export class SearchProductsHandler implements IQueryHandler<SearchProductsQuery> {
  constructor(
    private readonly index: ProductSearchIndex,
    private readonly cache: CatalogCache,
  ) {}

  execute({ search }: SearchProductsQuery): Promise<SearchPage> {
    return this.cache.search(search, () => this.index.search(search));
  }
}
