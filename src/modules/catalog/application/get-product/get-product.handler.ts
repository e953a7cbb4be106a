import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CatalogCache } from '../catalog-cache';
import { ProductStore } from '../ports/product-store';
import { ProductView } from '../product.view';
import { GetProductQuery } from './get-product.query';

/**
 * Reads the write model through the cache; every change and every indexing drops the entry,
 * so an admin still sees a change at once, with its indexing status.
 */
@QueryHandler(GetProductQuery)
export class GetProductHandler implements IQueryHandler<GetProductQuery> {
  constructor(
    private readonly products: ProductStore,
    private readonly cache: CatalogCache,
  ) {}

  execute({ id }: GetProductQuery): Promise<ProductView | undefined> {
    return this.cache.product(id, () => this.products.get(id));
  }
}
