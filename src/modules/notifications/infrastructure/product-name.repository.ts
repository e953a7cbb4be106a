import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { columnsOf } from '../../../../libs/persistence';

/** A product's name as one catalog event announced it. */
export interface ProductName {
  productId: string;
  name: string;
  /** The catalog's version of the product: a newer one replaces an older one, never the reverse. */
  version: number;
}

/** `notifications.product_name`: the names of products, so an order's lines read as the customer knows them. */
@Injectable()
export class ProductNameRepository {
  /** Records the newest of these names of each product, unless a newer one is recorded already: one statement a batch. */
  async saveMany(manager: EntityManager, names: readonly ProductName[]): Promise<void> {
    const newest = new Map<string, ProductName>();
    for (const name of names) {
      if ((newest.get(name.productId)?.version ?? -1) < name.version) newest.set(name.productId, name);
    }
    if (newest.size === 0) return;
    // In product id order, so concurrent batches lock their rows in the same order.
    const rows = [...newest.values()].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    await manager.query(
      `INSERT INTO notifications.product_name (product_id, name, version)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[])
       ON CONFLICT (product_id) DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version, updated_at = now()
       WHERE notifications.product_name.version < EXCLUDED.version`,
      columnsOf(rows, (row) => [row.productId, row.name, row.version]),
    );
  }

  /** The names known of these products, by product id. */
  async namesOf(manager: EntityManager, productIds: readonly string[]): Promise<Map<string, string>> {
    if (productIds.length === 0) return new Map();
    const rows: { product_id: string; name: string }[] = await manager.query(
      'SELECT product_id, name FROM notifications.product_name WHERE product_id = ANY($1::uuid[])',
      [[...new Set(productIds)]],
    );
    return new Map(rows.map((row) => [row.product_id, row.name]));
  }
}
