import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProductCreatedV1 } from '../../../../../libs/contracts/catalog';
import { UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { Product } from '../../domain/product';
import { ProductStore } from '../ports/product-store';
import { snapshotOf } from '../product-snapshot';
import { ProductView } from '../product.view';
import { CreateProductCommand } from './create-product.command';

/** Stores the product and publishes ProductCreatedV1 in the same transaction. */
@CommandHandler(CreateProductCommand)
export class CreateProductHandler implements ICommandHandler<CreateProductCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductStore,
  ) {}

  async execute({ details, id }: CreateProductCommand): Promise<ProductView> {
    const product = Product.create(id ?? newId(), details);
    return this.unitOfWork.run(async (tx) => {
      const created = await this.products.create(tx, product);
      tx.publish(new ProductCreatedV1(snapshotOf(created)), created.id);
      return created;
    });
  }
}
