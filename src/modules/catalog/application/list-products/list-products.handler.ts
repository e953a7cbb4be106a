import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProductRepository } from '../../infrastructure/product.repository';
import { ListProductsQuery, ProductPage } from './list-products.query';

@QueryHandler(ListProductsQuery)
export class ListProductsHandler implements IQueryHandler<ListProductsQuery> {
  constructor(private readonly products: ProductRepository) {}

  async execute({ limit, afterId }: ListProductsQuery): Promise<ProductPage> {
    // One extra row tells whether another page follows, without a count.
    const rows = await this.products.listViews(limit + 1, afterId);
    const items = rows.slice(0, limit);
    return { items, lastId: rows.length > limit ? items[items.length - 1].id : null };
  }
}
