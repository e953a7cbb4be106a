import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AlreadyProcessedError, UnitOfWork } from '../../../../../libs/messaging';
import { CatalogCache } from '../catalog-cache';
import { ProductSearchIndex } from '../ports/product-search-index';
import { ProductStore } from '../ports/product-store';
import { IndexProductCommand } from './index-product.command';
import { searchDocumentOf } from './search-document';

const MAX_REASON_LENGTH = 1000;

/**
 * Indexes what the write model holds now, not what the triggering event carried: so events
 * arriving late or out of order cannot put an older state back, and an archived product
 * (which the contracts cannot express yet) leaves the index. The product's row lock orders
 * indexing with changes and with other indexers of the same product.
 */
@CommandHandler(IndexProductCommand)
export class IndexProductHandler implements ICommandHandler<IndexProductCommand> {
  private readonly logger = new Logger(IndexProductHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductStore,
    private readonly index: ProductSearchIndex,
    private readonly cache: CatalogCache,
  ) {}

  async execute({ productId }: IndexProductCommand): Promise<void> {
    try {
      await this.unitOfWork.run(async (tx) => {
        const product = await this.products.lock(tx, productId);
        if (!product) return;
        if (product.status === 'active') await this.index.put(tx, [searchDocumentOf(product)]);
        else await this.index.remove(tx, [product.id]);
        await this.products.markIndexed(tx, [{ id: product.id, version: product.version }]);
        tx.afterCommit(() => Promise.all([this.cache.productChanged(productId), this.cache.searchChanged()]));
      });
    } catch (error) {
      // A redelivered message that was handled already: nothing failed.
      if (error instanceof AlreadyProcessedError) throw error;
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, MAX_REASON_LENGTH);
      // Not awaited: inside a batch, the transaction that failed still holds the product's row
      // (and, embedded, the one database session) until the batch rolls back.
      void this.products
        .markIndexingFailed(productId, reason)
        .catch((markError: unknown) => this.logger.warn(`could not mark ${productId} failed: ${String(markError)}`));
      throw error;
    }
  }
}
