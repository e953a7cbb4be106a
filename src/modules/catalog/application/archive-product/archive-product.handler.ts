import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProductUpdatedV1 } from '../../../../../libs/contracts/catalog';
import { UnitOfWork } from '../../../../../libs/messaging';
import { Product } from '../../domain/product';
import { ProductNotFoundError } from '../../domain/product.errors';
import { ProductStore } from '../ports/product-store';
import { snapshotOf } from '../product-snapshot';
import { ProductView } from '../product.view';
import { ArchiveProductCommand } from './archive-product.command';

/**
 * Archives the product. The contracts have no archive event yet, so the change is announced
 * as ProductUpdatedV1 with the new version; the search indexer reads the status from the
 * write model. Archiving an archived product changes and announces nothing.
 */
@CommandHandler(ArchiveProductCommand)
export class ArchiveProductHandler implements ICommandHandler<ArchiveProductCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductStore,
  ) {}

  execute({ id, expectedVersion }: ArchiveProductCommand): Promise<ProductView> {
    return this.unitOfWork.run(async (tx) => {
      const current = await this.products.lock(tx, id);
      if (!current) throw new ProductNotFoundError(id);
      const product = Product.restore(current);
      product.assertVersion(expectedVersion);
      if (!product.archive()) return current;
      const archived = await this.products.update(tx, product, current.version);
      tx.publish(new ProductUpdatedV1(snapshotOf(archived)), archived.id);
      return archived;
    });
  }
}
