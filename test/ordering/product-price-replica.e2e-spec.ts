import type { ProductSnapshotV1 } from '../../libs/contracts/catalog';
import { UnitOfWork } from '../../libs/messaging';
import { newId } from '../../libs/persistence';
import { ProductRepository } from '../../src/modules/inventory/infrastructure/product.repository';
import { ProductPriceRepository } from '../../src/modules/ordering/infrastructure/product-price.repository';
import { sql } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

/** Catalog events reach ordering's price replica and inventory's product list a batch at a time. */
describe('Replicas of the catalog, fed a batch at a time', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(() => app.close());

  const snapshot = (productId: string, version: number): ProductSnapshotV1 => ({
    productId,
    sku: `SKU-${version}`,
    name: `version ${version}`,
    category: 'replicas',
    price: { amount: 100 * version, currency: 'EUR' },
    version,
  });

  const pricesOf = (ids: string[]) =>
    sql<{ product_id: string; price_amount: string; version: number; archived: boolean }>(
      app,
      'SELECT product_id, price_amount::text, version, archived FROM ordering.product_price WHERE product_id = ANY($1::uuid[]) ORDER BY version',
      [ids],
    );

  const inTransaction = (work: Parameters<UnitOfWork['run']>[0]) => app.nest.get(UnitOfWork).run(work);

  it('keeps the newest snapshot of each product, whatever order a batch brings them in', async () => {
    const [first, second] = [newId(), newId()];
    const prices = app.nest.get(ProductPriceRepository);

    await inTransaction((tx) => prices.upsertMany(tx.manager, [snapshot(first, 1), snapshot(first, 3), snapshot(first, 2), snapshot(second, 1)]));
    await inTransaction((tx) => prices.upsertMany(tx.manager, [snapshot(first, 2), snapshot(second, 1)]));

    expect(await pricesOf([first, second])).toEqual([
      { product_id: second, price_amount: '100', version: 1, archived: false },
      { product_id: first, price_amount: '300', version: 3, archived: false },
    ]);
  });

  it('does not revive an archived product with an older snapshot', async () => {
    const id = newId();
    const prices = app.nest.get(ProductPriceRepository);

    await inTransaction((tx) => prices.upsertMany(tx.manager, [snapshot(id, 1)]));
    await inTransaction((tx) => prices.archive(tx.manager, id, 2));
    await inTransaction((tx) => prices.upsertMany(tx.manager, [snapshot(id, 1), snapshot(id, 2)]));

    expect(await pricesOf([id])).toEqual([{ product_id: id, price_amount: '100', version: 2, archived: true }]);
  });

  it('records each product inventory hears of once, however often a batch names it', async () => {
    const [first, second] = [newId(), newId()];
    const products = app.nest.get(ProductRepository);

    await inTransaction((tx) => products.record(tx.manager, [second, first, second, first]));
    await inTransaction((tx) => products.record(tx.manager, [first]));

    const rows = await sql<{ product_id: string }>(app, 'SELECT product_id FROM inventory.product WHERE product_id = ANY($1::uuid[])', [[first, second]]);
    expect(rows.map((row) => row.product_id).sort()).toEqual([first, second].sort());
  });
});
