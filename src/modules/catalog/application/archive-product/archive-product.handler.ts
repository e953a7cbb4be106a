import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProductArchivedV1 } from '../../../../../libs/contracts/catalog';
import { Product } from '../../domain/product';
import { ProductNotFoundError } from '../../domain/product.errors';
import { CatalogCache } from '../catalog-cache';
import { ProductStore } from '../ports/product-store';
import { ProductView } from '../product.view';
import { ArchiveProductCommand } from './archive-product.command';

/**
 * Archives the product and announces it as ProductArchivedV1: search drops it, ordering stops
 * selling it. Archiving an archived product changes and announces nothing.
 */
@CommandHandler(ArchiveProductCommand)
export class ArchiveProductHandler implements ICommandHandler<ArchiveProductCommand> {
  constructor(
    private readonly products: ProductStore,
    private readonly cache: CatalogCache,
  ) {}

  async execute({ id, expectedVersion }: ArchiveProductCommand): Promise<ProductView> {
    const view = await this.products.transaction(async (products) => {
      const current = await products.lock(id);
      if (!current) throw new ProductNotFoundError(id);
      const product = Product.restore(current);
      product.assertVersion(expectedVersion);
      if (!product.archive()) return current;
      const archived = await products.update(product, current.version);
      products.publish(new ProductArchivedV1({ productId: archived.id, version: archived.version }), archived.id);
      return archived;
    });
    await this.cache.productChanged(id);
    return view;
  }
}
