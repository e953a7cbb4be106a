import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProductCreatedV1 } from '../../../../../libs/contracts/catalog';
import { newId } from '../../../../../libs/persistence';
import { Product } from '../../domain/product';
import { ProductStore } from '../ports/product-store';
import { snapshotOf } from '../product-snapshot';
import { ProductView } from '../product.view';
import { CreateProductCommand } from './create-product.command';

/** Stores the product and publishes ProductCreatedV1 in the same transaction. */
@CommandHandler(CreateProductCommand)
export class CreateProductHandler implements ICommandHandler<CreateProductCommand> {
  constructor(private readonly products: ProductStore) {}

  async execute({ details, id }: CreateProductCommand): Promise<ProductView> {
    const product = Product.create(id ?? newId(), details);
    return this.products.transaction(async (products) => {
      const created = await products.create(product);
      products.publish(new ProductCreatedV1(snapshotOf(created)), created.id);
      return created;
    });
  }
}
