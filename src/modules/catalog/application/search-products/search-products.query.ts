import { Query } from '@nestjs/cqrs';
import { ProductSearch, SearchPage } from '../ports/product-search-index';

/** Active products matching words and filters, one keyset page at a time, from the read model. */
export class SearchProductsQuery extends Query<SearchPage> {
  constructor(readonly search: ProductSearch) {
    super();
  }
}
