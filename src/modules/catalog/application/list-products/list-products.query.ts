import { Query } from '@nestjs/cqrs';
import { ProductView } from '../product.view';

export interface ProductPage {
  items: ProductView[];
  /** Id of the last item when more products follow it, else null. */
  lastId: string | null;
}

/** Products in creation order, `limit` at a time, after the product `afterId`. */
export class ListProductsQuery extends Query<ProductPage> {
  constructor(
    readonly limit: number,
    readonly afterId?: string,
  ) {
    super();
  }
}
