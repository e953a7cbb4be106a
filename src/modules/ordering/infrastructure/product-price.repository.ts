import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ProductSnapshotV1 } from '../../../../libs/contracts/catalog';
import { columnsOf } from '../../../../libs/persistence';
import { Money } from '../domain/order-events';

/**
 * Ordering's replica of catalog prices, fed by catalog events: placing an order reads prices
 * here, never from the client and without a synchronous call to the catalog.
 */
@Injectable()
export class ProductPriceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the newest of these snapshots of each product, unless a newer one is recorded
   * already: one statement for a batch of catalog events.
   */
  async upsertMany(manager: EntityManager, snapshots: readonly ProductSnapshotV1[]): Promise<void> {
    const newest = new Map<string, ProductSnapshotV1>();
    for (const snapshot of snapshots) {
      if ((newest.get(snapshot.productId)?.version ?? -1) < snapshot.version) newest.set(snapshot.productId, snapshot);
    }
    if (newest.size === 0) return;
    // In product id order, so concurrent batches lock their rows in the same order.
    const rows = [...newest.values()].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    await manager.query(
      `INSERT INTO ordering.product_price (product_id, sku, name, price_amount, currency, version)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::int[])
       ON CONFLICT (product_id) DO UPDATE SET sku = EXCLUDED.sku, name = EXCLUDED.name,
         price_amount = EXCLUDED.price_amount, currency = EXCLUDED.currency, version = EXCLUDED.version,
         archived = false
       WHERE ordering.product_price.version < EXCLUDED.version`,
      columnsOf(rows, (snapshot) => [snapshot.productId, snapshot.sku, snapshot.name, snapshot.price.amount, snapshot.price.currency, snapshot.version]),
    );
  }

  /** Archived products keep their row (and version) so an older update cannot revive them. */
  async archive(manager: EntityManager, productId: string, version: number): Promise<void> {
    await manager.query(
      `INSERT INTO ordering.product_price (product_id, sku, name, price_amount, currency, version, archived)
       VALUES ($1, '', '', 0, 'XXX', $2, true)
       ON CONFLICT (product_id) DO UPDATE SET archived = true, version = EXCLUDED.version
       WHERE ordering.product_price.version < EXCLUDED.version`,
      [productId, version],
    );
  }

  async pricesOf(productIds: string[]): Promise<Map<string, Money>> {
    const rows: { product_id: string; price_amount: string | number; currency: string }[] = await this.dataSource.query(
      'SELECT product_id, price_amount, currency FROM ordering.product_price WHERE product_id = ANY($1::uuid[]) AND NOT archived',
      [productIds],
    );
    return new Map(rows.map((r) => [r.product_id, { amount: Number(r.price_amount), currency: r.currency.trim() }]));
  }
}
