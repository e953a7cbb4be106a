import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { rowsOf } from '../../../../libs/persistence';
import { ProductView } from '../application/product.view';
import { Product, ProductState } from '../domain/product';
import { DuplicateSkuError } from '../domain/product.errors';

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price_amount: string | number;
  currency: string;
  popularity: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function toState(row: ProductRow): ProductState {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    category: row.category,
    price: { amount: Number(row.price_amount), currency: row.currency },
    popularity: row.popularity,
    version: row.version,
  };
}

function toView(row: ProductRow): ProductView {
  return { ...toState(row), createdAt: row.created_at, updatedAt: row.updated_at };
}

function isSkuTaken(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const { code, constraint } = error.driverError as { code?: string; constraint?: string };
  return code === '23505' && constraint === 'product_sku_unique';
}

/** `catalog.product`. Writes take the transaction's manager; plain reads use the data source. */
@Injectable()
export class ProductRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findView(id: string): Promise<ProductView | undefined> {
    const [row] = await this.dataSource.query<ProductRow[]>('SELECT * FROM catalog.product WHERE id = $1', [id]);
    return row ? toView(row) : undefined;
  }

  /** One page in id order (UUIDv7 ids, so creation order), starting after `afterId`. */
  async listViews(limit: number, afterId?: string): Promise<ProductView[]> {
    const rows =
      afterId === undefined
        ? await this.dataSource.query<ProductRow[]>('SELECT * FROM catalog.product ORDER BY id LIMIT $1', [limit])
        : await this.dataSource.query<ProductRow[]>(
            'SELECT * FROM catalog.product WHERE id > $1 ORDER BY id LIMIT $2',
            [afterId, limit],
          );
    return rows.map(toView);
  }

  async isEmpty(): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>('SELECT 1 FROM catalog.product LIMIT 1');
    return rows.length === 0;
  }

  /** Locks the product, if it exists, until the transaction ends. */
  async lock(manager: EntityManager, id: string): Promise<Product | undefined> {
    const [row] = await manager.query<ProductRow[]>('SELECT * FROM catalog.product WHERE id = $1 FOR UPDATE', [id]);
    return row ? Product.restore(toState(row)) : undefined;
  }

  /** Throws DuplicateSkuError when the sku (or, for seeded products, the id) is taken. */
  async insert(manager: EntityManager, product: Product): Promise<ProductView> {
    const p = product.toState();
    const [row] = await manager.query<ProductRow[]>(
      `INSERT INTO catalog.product
         (id, sku, name, description, category, price_amount, currency, popularity, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT DO NOTHING RETURNING *`,
      [p.id, p.sku, p.name, p.description, p.category, p.price.amount, p.price.currency, p.popularity, p.version],
    );
    if (!row) throw new DuplicateSkuError(p.sku);
    return toView(row);
  }

  /** Writes the product, provided nobody wrote version `expectedVersion` + 1 before. */
  async update(manager: EntityManager, product: Product, expectedVersion: number): Promise<ProductView> {
    const p = product.toState();
    let rows: ProductRow[];
    try {
      rows = rowsOf<ProductRow>(
        await manager.query(
          `UPDATE catalog.product
           SET sku = $3, name = $4, description = $5, category = $6, price_amount = $7, currency = $8,
               popularity = $9, version = $10, updated_at = now()
           WHERE id = $1 AND version = $2 RETURNING *`,
          [
            p.id,
            expectedVersion,
            p.sku,
            p.name,
            p.description,
            p.category,
            p.price.amount,
            p.price.currency,
            p.popularity,
            p.version,
          ],
        ),
      );
    } catch (error) {
      if (isSkuTaken(error)) throw new DuplicateSkuError(p.sku);
      throw error;
    }
    // Callers hold the row lock, so the version cannot have moved under them.
    if (rows.length !== 1) throw new Error(`product ${p.id} is no longer at version ${expectedVersion}`);
    return toView(rows[0]);
  }
}
