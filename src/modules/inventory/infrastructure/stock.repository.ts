import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../../../../libs/persistence';
import { StockLevel } from '../domain/stock-level';

interface StockRow {
  product_id: string;
  on_hand: number;
  reserved: number;
}

function toStockLevel(row: StockRow): StockLevel {
  return { productId: row.product_id, onHand: Number(row.on_hand), reserved: Number(row.reserved) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `inventory.stock`. Writes take the transaction's manager; plain reads use the data source. */
@Injectable()
export class StockRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(productId: string): Promise<StockLevel | undefined> {
    const [row] = await this.dataSource.query<StockRow[]>(
      'SELECT product_id, on_hand, reserved FROM inventory.stock WHERE product_id = $1',
      [productId],
    );
    return row ? toStockLevel(row) : undefined;
  }

  /** Units on hand and reserved, summed over every product. */
  async totals(): Promise<{ onHand: number; reserved: number }> {
    const [row] = await this.dataSource.query<{ on_hand: string | null; reserved: string | null }[]>(
      'SELECT sum(on_hand) AS on_hand, sum(reserved) AS reserved FROM inventory.stock',
    );
    return { onHand: Number(row?.on_hand ?? 0), reserved: Number(row?.reserved ?? 0) };
  }

  /** Locks the product's row, if it exists, until the transaction ends. */
  async lock(manager: EntityManager, productId: string): Promise<StockLevel | undefined> {
    const [row] = await manager.query<StockRow[]>(
      'SELECT product_id, on_hand, reserved FROM inventory.stock WHERE product_id = $1 FOR UPDATE',
      [productId],
    );
    return row ? toStockLevel(row) : undefined;
  }

  async setOnHand(manager: EntityManager, productId: string, onHand: number): Promise<StockLevel> {
    const [row] = rowsOf<StockRow>(
      await manager.query(
        `INSERT INTO inventory.stock (product_id, on_hand) VALUES ($1, $2)
         ON CONFLICT (product_id) DO UPDATE SET on_hand = EXCLUDED.on_hand, updated_at = now()
         RETURNING product_id, on_hand, reserved`,
        [productId, onHand],
      ),
    );
    return toStockLevel(row);
  }

  /**
   * Locks the stock rows of the products, in product id order so that concurrent reservations
   * of overlapping products queue instead of deadlocking, and returns what each has available.
   * Ids that are not UUIDs cannot have stock and are simply absent from the result.
   */
  async lockAvailable(manager: EntityManager, productIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await manager.query<{ product_id: string; available: number }[]>(
      `SELECT product_id, on_hand - reserved AS available FROM inventory.stock
       WHERE product_id = ANY($1::uuid[]) ORDER BY product_id FOR UPDATE`,
      [productIds.filter((id) => UUID.test(id))],
    );
    return new Map(rows.map((row) => [row.product_id, Number(row.available)]));
  }

  /** Reserves quantities of many products in one statement. */
  reserveMany(manager: EntityManager, quantities: ReadonlyMap<string, number>): Promise<void> {
    return this.changeMany(manager, quantities, 'reserved = s.reserved + q.quantity');
  }

  unreserve(manager: EntityManager, productId: string, quantity: number): Promise<void> {
    return this.change(manager, productId, 'reserved = reserved - $2', quantity);
  }

  /** Reserved units leave the warehouse: both on-hand and reserved drop. */
  shipMany(manager: EntityManager, quantities: ReadonlyMap<string, number>): Promise<void> {
    return this.changeMany(manager, quantities, 'on_hand = s.on_hand - q.quantity, reserved = s.reserved - q.quantity');
  }

  /** Units that had left with a cancelled order come back on hand. */
  restock(manager: EntityManager, productId: string, quantity: number): Promise<void> {
    return this.change(manager, productId, 'on_hand = on_hand + $2', quantity);
  }

  async isEmpty(manager: EntityManager): Promise<boolean> {
    const rows = await manager.query<unknown[]>('SELECT 1 FROM inventory.stock LIMIT 1');
    return rows.length === 0;
  }

  /** Gives every product its stock, leaving stock that exists alone. Returns the rows written. */
  async seed(manager: EntityManager, levels: readonly { productId: string; onHand: number }[]): Promise<number> {
    const rows = rowsOf<unknown>(
      await manager.query(
        `INSERT INTO inventory.stock (product_id, on_hand)
         SELECT product_id, on_hand FROM unnest($1::uuid[], $2::int[]) AS seed (product_id, on_hand)
         ON CONFLICT (product_id) DO NOTHING
         RETURNING product_id`,
        [levels.map((l) => l.productId), levels.map((l) => l.onHand)],
      ),
    );
    return rows.length;
  }

  private async change(manager: EntityManager, productId: string, assignments: string, quantity: number): Promise<void> {
    const rows = rowsOf<unknown>(
      await manager.query(
        `UPDATE inventory.stock SET ${assignments}, updated_at = now() WHERE product_id = $1 RETURNING product_id`,
        [productId, quantity],
      ),
    );
    // A reservation only ever names products whose rows it found, and rows are never deleted.
    if (rows.length !== 1) throw new Error(`stock of product ${productId} is missing`);
  }

  private async changeMany(manager: EntityManager, quantities: ReadonlyMap<string, number>, assignments: string): Promise<void> {
    if (quantities.size === 0) return;
    const rows = rowsOf<unknown>(
      await manager.query(
        `UPDATE inventory.stock s SET ${assignments}, updated_at = now()
         FROM unnest($1::uuid[], $2::int[]) AS q(product_id, quantity)
         WHERE s.product_id = q.product_id RETURNING s.product_id`,
        [[...quantities.keys()], [...quantities.values()]],
      ),
    );
    // Reservations only ever name products whose rows they found, and rows are never deleted.
    if (rows.length !== quantities.size) throw new Error(`stock of ${quantities.size - rows.length} products is missing`);
  }
}
