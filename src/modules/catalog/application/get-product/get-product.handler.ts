import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProductStore } from '../ports/product-store';
import { ProductView } from '../product.view';
import { GetProductQuery } from './get-product.query';

/** Reads the write model, so an admin sees a change at once, with its indexing status. */
@QueryHandler(GetProductQuery)
export class GetProductHandler implements IQueryHandler<GetProductQuery> {
  constructor(private readonly products: ProductStore) {}

  execute({ id }: GetProductQuery): Promise<ProductView | undefined> {
    return this.products.get(id);
  }
}
