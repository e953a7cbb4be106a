import { Query } from '@nestjs/cqrs';
import { ProductView } from '../product.view';

export class GetProductQuery extends Query<ProductView | undefined> {
  constructor(readonly id: string) {
    super();
  }
}
