import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProductRepository } from '../../infrastructure/product.repository';
import { ProductView } from '../product.view';
import { GetProductQuery } from './get-product.query';

@QueryHandler(GetProductQuery)
export class GetProductHandler implements IQueryHandler<GetProductQuery> {
  constructor(private readonly products: ProductRepository) {}

  execute({ id }: GetProductQuery): Promise<ProductView | undefined> {
    return this.products.findView(id);
  }
}
