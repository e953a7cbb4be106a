import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { describeBacklog, outboxBacklog } from '../../../../../libs/messaging';
import { Progress } from '../../../../../libs/progress';
import { BULK_CREATE_LIMIT, BulkCreateProductsCommand } from '../bulk-create-products/bulk-create-products.command';
import { ProductStore } from '../ports/product-store';
import { ProductGenerator } from './product-generator';

/** How long indexing may make no progress at all before the seeder stops waiting for it. */
const STALL_MS = 60_000;
const POLL_MS = 250;
/**
 * Between two counts of the products left, at least this many times as long as the last count
 * took: a count runs through every pending product, so while many are pending, counting stays a
 * small share of the database's work; near the end counts are quick and come every POLL_MS again.
 */
const POLL_WAIT_PER_COUNT_TIME = 20;

/** A minute, plus 20 ms a product pending: several times what indexing takes on a laptop. */
export function defaultIndexTimeoutMs(pending: number): number {
  return 60_000 + 20 * pending;
}

export interface CatalogSeedOptions {
  count: number;
  /** How long to wait for the search index; by default in proportion to the products pending once inserted. */
  indexTimeoutMs?: number;
  progress: Progress;
}

export interface CatalogSeedReport {
  created: number;
  /** Time to insert every product through the bulk import. */
  insertMs: number;
  /** Time from the first insert until no product was pending indexing. */
  indexedMs: number;
  failedIndexing: number;
}

/** The search index did not take the products in; the message says what is stuck and where. */
export class IndexingStuckError extends Error {
  /** Printed as is, on one line, by the command that ran the seed. */
  readonly userFacing = true;

  constructor(reason: string, pending: number, failed: number, backlog: string, nothingUnderWay: boolean) {
    super(
      `search indexing ${reason}: ${pending} products still pending, ${failed} failed; ` +
        `catalog messages in the outbox: ${backlog}` +
        (nothingUnderWay ? '; no catalog message is left in the outbox to index them: run `npm run catalog:reindex`' : ''),
    );
    this.name = IndexingStuckError.name;
  }
}

/**
 * `npm run catalog:seed`: generated products through the bulk import use case, a thousand per
 * transaction, so each is announced and indexed like any other; then waits for the index.
 */
@Injectable()
export class CatalogSeeder {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly products: ProductStore,
    private readonly dataSource: DataSource,
  ) {}

  async seed({ count, indexTimeoutMs, progress }: CatalogSeedOptions): Promise<CatalogSeedReport> {
    const generator = new ProductGenerator(`SEED${Date.now().toString(36).toUpperCase()}`, Date.now());
    const started = Date.now();
    let created = 0;
    progress.start('inserting products', count);
    while (created < count) {
      const batch = generator.next(Math.min(BULK_CREATE_LIMIT, count - created));
      created += (await this.commandBus.execute(new BulkCreateProductsCommand(batch))).length;
      progress.update(created);
    }
    progress.stop();
    const insertMs = Date.now() - started;
    await this.indexingSettled(indexTimeoutMs, progress);
    const { failed } = await this.products.countUnindexed();
    return { created, insertMs, indexedMs: Date.now() - started, failedIndexing: failed };
  }

  /**
   * Waits until no product is pending indexing, at most `timeoutMs` and while the pending
   * count keeps falling; else throws what is stuck. Counts every pending product, not only
   * these, since they share the relay and the index with whatever was pending before (e.g. the
   * backlog of a seed that was killed).
   */
  private async indexingSettled(requestedTimeoutMs: number | undefined, progress: Progress): Promise<void> {
    const pendingAtStart = (await this.products.countUnindexed()).pending;
    const timeoutMs = requestedTimeoutMs ?? defaultIndexTimeoutMs(pendingAtStart);
    const deadline = Date.now() + timeoutMs;
    let lowestPending = Number.POSITIVE_INFINITY;
    let lastProgress = Date.now();
    progress.start('indexing products', pendingAtStart);
    try {
      for (;;) {
        const asked = Date.now();
        const { pending, failed } = await this.products.countUnindexed();
        const countMs = Date.now() - asked;
        progress.update(Math.max(0, pendingAtStart - pending));
        if (pending === 0) return;
        if (pending < lowestPending) {
          lowestPending = pending;
          lastProgress = Date.now();
        }
        const now = Date.now();
        if (now > deadline || now - lastProgress > STALL_MS) {
          const reason =
            now > deadline ? `did not finish within ${timeoutMs / 1000} s` : `made no progress for ${STALL_MS / 1000} s`;
          throw await this.stuck(reason, pending, failed);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(POLL_MS, POLL_WAIT_PER_COUNT_TIME * countMs)));
      }
    } finally {
      progress.stop();
    }
  }

  private async stuck(reason: string, pending: number, failed: number): Promise<IndexingStuckError> {
    const backlog = await outboxBacklog(this.dataSource, 'catalog.');
    const nothingUnderWay = backlog.waiting + backlog.leased + backlog.retrying === 0;
    return new IndexingStuckError(reason, pending, failed, describeBacklog(backlog), nothingUnderWay);
  }
}
