import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { NO_PROGRESS } from '../../../../../libs/progress';
import { BulkCreateProductsCommand } from '../bulk-create-products/bulk-create-products.command';
import { ProductStore } from '../ports/product-store';
import { CatalogSeeder, IndexingStuckError } from './catalog-seeder';

/** A catalog whose pending count follows `pendingAfterInsert` once the products are in. */
function seederWith(pendingAfterInsert: () => number, backlog = { waiting: 0, leased: 0, retrying: 0, dead: 0 }): CatalogSeeder {
  const commandBus = {
    execute: (command: BulkCreateProductsCommand) => Promise.resolve(command.products.map((_, n) => `id-${n}`)),
  } as unknown as CommandBus;
  const products = {
    countUnindexed: () => Promise.resolve({ pending: pendingAfterInsert(), failed: 1 }),
  } as unknown as ProductStore;
  const dataSource = { query: () => Promise.resolve([backlog]) } as unknown as DataSource;
  return new CatalogSeeder(commandBus, products, dataSource);
}

describe(CatalogSeeder.name, () => {
  it('reports once nothing is pending any more', async () => {
    const pending = [3, 2, 0];
    const report = await seederWith(() => pending.shift() ?? 0).seed({ count: 3, progress: NO_PROGRESS });
    expect(report).toMatchObject({ created: 3, failedIndexing: 1 });
  });

  it('stops waiting at the timeout, naming what is stuck and how to get it indexed', async () => {
    const seeding = seederWith(() => 3).seed({ count: 3, indexTimeoutMs: 300, progress: NO_PROGRESS });
    await expect(seeding).rejects.toThrow(IndexingStuckError);
    await expect(seeding).rejects.toThrow(
      'search indexing did not finish within 0.3 s: 3 products still pending, 1 failed; ' +
        'catalog messages in the outbox: 0 waiting, 0 leased, 0 retrying, 0 dead; ' +
        'no catalog message is left in the outbox to index them: run `npm run catalog:reindex`',
    );
  });

  it('does not suggest a reindex while messages are still on their way', async () => {
    const seeding = seederWith(() => 3, { waiting: 0, leased: 3, retrying: 0, dead: 0 }).seed({
      count: 3,
      indexTimeoutMs: 300,
      progress: NO_PROGRESS,
    });
    await expect(seeding).rejects.toThrow(/0 waiting, 3 leased, 0 retrying, 0 dead$/);
  });
});
