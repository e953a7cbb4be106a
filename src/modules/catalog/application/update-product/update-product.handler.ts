import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProductUpdatedV1 } from '../../../../../libs/contracts/catalog';
import { UnitOfWork } from '../../../../../libs/messaging';
import { ProductNotFoundError } from '../../domain/product.errors';
import { ProductRepository } from '../../infrastructure/product.repository';
import { snapshotOf } from '../product-snapshot';
import { ProductView } from '../product.view';
import { UpdateProductCommand } from './update-product.command';

/** Changes the product under its row lock and publishes its new snapshot as ProductUpdatedV1. */
@CommandHandler(UpdateProductCommand)
export class UpdateProductHandler implements ICommandHandler<UpdateProductCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductRepository,
  ) {}

  execute({ id, changes }: UpdateProductCommand): Promise<ProductView> {
    return this.unitOfWork.run(async (tx) => {
      const product = await this.products.lock(tx.manager, id);
      if (!product) throw new ProductNotFoundError(id);
      const before = product.version;
      product.change(changes);
      const updated = await this.products.update(tx.manager, product, before);
      tx.publish(new ProductUpdatedV1(snapshotOf(updated)), updated.id);
      return updated;
    });
  }
}
