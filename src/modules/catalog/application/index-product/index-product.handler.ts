import { Logger } from '@nestjs/common';
import { AlreadyProcessedError, BatchCommandHandler, UnitOfWork } from '../../../../../libs/messaging';
import { CatalogCache } from '../catalog-cache';
import { ProductSearchIndex } from '../ports/product-search-index';
import { ProductStore } from '../ports/product-store';
import { IndexProductCommand } from './index-product.command';
import { searchDocumentOf } from './search-document';

const MAX_REASON_LENGTH = 1000;

/**
 * Indexes what the write model holds now, not what the triggering event carried: so events
 * arriving late or out of order cannot put an older state back, and an archived product
 * (which the contracts cannot express yet) leaves the index. The products' row locks order
 * indexing with changes and with other indexers of the same products. A batch of events is
 * indexed with one lock, one write to the index and one mark for all its products.
 */
@BatchCommandHandler(IndexProductCommand)
export class IndexProductHandler implements BatchCommandHandler<IndexProductCommand> {
  private readonly logger = new Logger(IndexProductHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductStore,
    private readonly index: ProductSearchIndex,
    private readonly cache: CatalogCache,
  ) {}

  async execute({ productId }: IndexProductCommand): Promise<void> {
    try {
      await this.indexNow([productId]);
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

  /** A failed batch is indexed again one product at a time, which records each failure. */
  executeBatch(commands: readonly IndexProductCommand[]): Promise<void> {
    return this.indexNow([...new Set(commands.map((command) => command.productId))].sort());
  }

  private async indexNow(productIds: readonly string[]): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const products = await this.products.lockMany(tx, productIds);
      await this.index.put(tx, products.filter((p) => p.status === 'active').map(searchDocumentOf));
      await this.index.remove(tx, products.filter((p) => p.status !== 'active').map((p) => p.id));
      await this.products.markIndexed(tx, products.map(({ id, version }) => ({ id, version })));
      tx.afterCommit(() => Promise.all([...productIds.map((id) => this.cache.productChanged(id)), this.cache.searchChanged()]));
    });
  }
}
