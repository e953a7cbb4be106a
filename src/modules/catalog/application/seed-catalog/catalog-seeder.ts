import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { BULK_CREATE_LIMIT, BulkCreateProductsCommand } from '../bulk-create-products/bulk-create-products.command';
import { ProductStore } from '../ports/product-store';
import { ProductGenerator } from './product-generator';

/** How long indexing may make no progress before the seeder stops waiting for it. */
const STALL_MS = 60_000;
const POLL_MS = 250;

export interface CatalogSeedReport {
  created: number;
  /** Time to insert every product through the bulk import. */
  insertMs: number;
  /** Time from the first insert until no product was pending indexing, or null if indexing stalled. */
  indexedMs: number | null;
  failedIndexing: number;
}

/**
 * `npm run catalog:seed`: generated products through the bulk import use case, a thousand per
 * transaction, so each is announced and indexed like any other; then waits for the index.
 */
@Injectable()
export class CatalogSeeder {
  private readonly logger = new Logger(CatalogSeeder.name);

  constructor(
    private readonly commandBus: CommandBus,
    private readonly products: ProductStore,
  ) {}

  async seed(count: number): Promise<CatalogSeedReport> {
    const generator = new ProductGenerator(`SEED${Date.now().toString(36).toUpperCase()}`, Date.now());
    const started = Date.now();
    let created = 0;
    while (created < count) {
      const batch = generator.next(Math.min(BULK_CREATE_LIMIT, count - created));
      created += (await this.commandBus.execute(new BulkCreateProductsCommand(batch))).length;
      if (created % 10_000 === 0 || created === count) this.logger.log(`inserted ${created}/${count}`);
    }
    const insertMs = Date.now() - started;
    const indexed = await this.indexingSettled();
    const { failed } = await this.products.countByIndexingStatus();
    return { created, insertMs, indexedMs: indexed ? Date.now() - started : null, failedIndexing: failed };
  }

  /** Waits until no product is pending indexing; false if that stops making progress. */
  private async indexingSettled(): Promise<boolean> {
    let lastPending = Number.POSITIVE_INFINITY;
    let lastProgress = Date.now();
    let lastLog = 0;
    for (;;) {
      const { pending } = await this.products.countByIndexingStatus();
      if (pending === 0) return true;
      if (pending < lastPending) {
        lastPending = pending;
        lastProgress = Date.now();
      } else if (Date.now() - lastProgress > STALL_MS) {
        this.logger.warn(`indexing made no progress for ${STALL_MS / 1000} s; ${pending} products still pending`);
        return false;
      }
      if (Date.now() - lastLog > 5_000) {
        this.logger.log(`waiting for the search index: ${pending} products pending`);
        lastLog = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
