import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProductUpdatedV1 } from '../../../../../libs/contracts/catalog';
import { Product } from '../../domain/product';
import { ProductNotFoundError } from '../../domain/product.errors';
import { CatalogCache } from '../catalog-cache';
import { ProductStore } from '../ports/product-store';
import { snapshotOf } from '../product-snapshot';
import { ProductView } from '../product.view';
import { UpdateProductCommand } from './update-product.command';

/** Changes the product under its lock and publishes its new snapshot as ProductUpdatedV1. */
@CommandHandler(UpdateProductCommand)
export class UpdateProductHandler implements ICommandHandler<UpdateProductCommand> {
  constructor(
    private readonly products: ProductStore,
    private readonly cache: CatalogCache,
  ) {}

  async execute({ id, changes, expectedVersion }: UpdateProductCommand): Promise<ProductView> {
    const view = await this.products.transaction(async (products) => {
      const current = await products.lock(id);
      if (!current) throw new ProductNotFoundError(id);
      const product = Product.restore(current);
      product.assertVersion(expectedVersion);
      product.change(changes);
      const updated = await products.update(product, current.version);
      products.publish(new ProductUpdatedV1(snapshotOf(updated)), updated.id);
      return updated;
    });
    await this.cache.productChanged(id);
    return view;
  }
}
