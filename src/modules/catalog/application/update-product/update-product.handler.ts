import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProductUpdatedV1 } from '../../../../../libs/contracts/catalog';
import { UnitOfWork } from '../../../../../libs/messaging';
import { Product } from '../../domain/product';
import { ProductNotFoundError } from '../../domain/product.errors';
import { CatalogCache } from '../catalog-cache';
import { ProductStore } from '../ports/product-store';
import { snapshotOf } from '../product-snapshot';
import { ProductView } from '../product.view';
import { UpdateProductCommand } from './update-product.command';

/** Changes the product under its row lock and publishes its new snapshot as ProductUpdatedV1. */
@CommandHandler(UpdateProductCommand)
export class UpdateProductHandler implements ICommandHandler<UpdateProductCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductStore,
    private readonly cache: CatalogCache,
  ) {}

  async execute({ id, changes, expectedVersion }: UpdateProductCommand): Promise<ProductView> {
    const view = await this.unitOfWork.run(async (tx) => {
      const current = await this.products.lock(tx, id);
      if (!current) throw new ProductNotFoundError(id);
      const product = Product.restore(current);
      product.assertVersion(expectedVersion);
      product.change(changes);
      const updated = await this.products.update(tx, product, current.version);
      tx.publish(new ProductUpdatedV1(snapshotOf(updated)), updated.id);
      return updated;
    });
    await this.cache.productChanged(id);
    return view;
  }
}
