import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ProductSnapshotV1 } from '../../../../libs/contracts/catalog';
import { Money } from '../domain/order-events';

/**
 * Ordering's replica of catalog prices, fed by catalog events: placing an order reads prices
 * here, never from the client and without a synchronous call to the catalog.
 */
@Injectable()
export class ProductPriceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async upsert(manager: EntityManager, snapshot: ProductSnapshotV1): Promise<void> {
    await manager.query(
      `INSERT INTO ordering.product_price (product_id, sku, name, price_amount, currency, version)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (product_id) DO UPDATE SET sku = EXCLUDED.sku, name = EXCLUDED.name,
         price_amount = EXCLUDED.price_amount, currency = EXCLUDED.currency, version = EXCLUDED.version,
         archived = false
       WHERE ordering.product_price.version < EXCLUDED.version`,
      [snapshot.productId, snapshot.sku, snapshot.name, snapshot.price.amount, snapshot.price.currency, snapshot.version],
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
