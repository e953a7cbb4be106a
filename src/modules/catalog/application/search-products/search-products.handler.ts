import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProductSearchIndex, SearchPage } from '../ports/product-search-index';
import { SearchProductsQuery } from './search-products.query';

@QueryHandler(SearchProductsQuery)
export class SearchProductsHandler implements IQueryHandler<SearchProductsQuery> {
  constructor(private readonly index: ProductSearchIndex) {}

  execute({ search }: SearchProductsQuery): Promise<SearchPage> {
    return this.index.search(search);
  }
}
