import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * `inventory.product`: the catalog's products inventory has heard of. Rows are never deleted, so
 * a product found here stays known without a lock.
 */
@Injectable()
export class ProductRepository {
  async record(manager: EntityManager, productIds: readonly string[]): Promise<void> {
    // Sorted and once each, so concurrent batches take their row locks in the same order.
    await manager.query(
      'INSERT INTO inventory.product (product_id) SELECT unnest($1::uuid[]) ON CONFLICT (product_id) DO NOTHING',
      [[...new Set(productIds)].sort()],
    );
  }

  async isKnown(manager: EntityManager, productId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>('SELECT 1 FROM inventory.product WHERE product_id = $1', [productId]);
    return rows.length === 1;
  }
}
