import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { setImmediate } from 'node:timers';
import { DataSource, QueryFailedError } from 'typeorm';
import { IntegrationMessage } from '../../../../libs/contracts/message';
import { Transaction, UnitOfWork } from '../../../../libs/messaging';
import { rowsOf } from '../../../../libs/persistence';
import { IndexedVersion, ProductStore, ProductWriter } from '../application/ports/product-store';
import { ProductSearch } from '../application/ports/product-search-index';
import { IndexingStatus, indexingCounts, ProductView } from '../application/product.view';
import { Product, ProductAttributes, ProductStatus } from '../domain/product';
import { DuplicateSkuError, ProductVersionMismatchError } from '../domain/product.errors';

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price_amount: string | number;
  currency: string;
  popularity: number;
  attributes: ProductAttributes;
  status: ProductStatus;
  version: number;
  created_at: Date;
  updated_at: Date;
  indexing_status: IndexingStatus;
  indexed_at: Date | null;
  indexing_error: string | null;
}

function toView(row: ProductRow): ProductView {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    category: row.category,
    price: { amount: Number(row.price_amount), currency: row.currency },
    popularity: row.popularity,
    attributes: row.attributes,
    status: row.status,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    indexing: { status: row.indexing_status, indexedAt: row.indexed_at, error: row.indexing_error },
  };
}

interface StatusCount {
  status: IndexingStatus;
  n: number;
}

function countsOf(rows: StatusCount[]): Record<IndexingStatus, number> {
  return indexingCounts(rows.map(({ status, n }) => [status, n] as const));
}

function isSkuTaken(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const { code, constraint } = error.driverError as { code?: string; constraint?: string };
  return code === '23505' && constraint === 'product_sku_unique';
}

/** A product's column values: id, sku, name, description, category, price, currency, popularity, attributes, status, version. */
function valuesOf(product: Product): unknown[] {
  const p = product.toState();
  return [
    p.id,
    p.sku,
    p.name,
    p.description,
    p.category,
    p.price.amount,
    p.price.currency,
    p.popularity,
    JSON.stringify(p.attributes),
    p.status,
    p.version,
  ];
}

/** Column arrays for `unnest`, so a batch of any size is one statement with eleven parameters. */
function columnsOf(products: Product[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 11 }, () => []);
  for (const product of products) valuesOf(product).forEach((value, i) => columns[i].push(value));
  return columns;
}

const INSERT_COLUMNS =
  'id, sku, name, description, category, price_amount, currency, popularity, attributes, status, version';

/**
 * Product writes inside one unit of work's transaction; its events go to the outbox in that
 * same transaction.
 */
class PostgresProductWriter implements ProductWriter {
  constructor(private readonly tx: Transaction) {}

  async create(product: Product): Promise<ProductView> {
    const [created] = await this.insert([product]);
    if (!created) throw new DuplicateSkuError([product.toState().sku]);
    return created;
  }

  async createMany(products: Product[]): Promise<ProductView[]> {
    const created = await this.insert(products);
    if (created.length < products.length) {
      const inserted = new Set(created.map((p) => p.id));
      throw new DuplicateSkuError(products.filter((p) => !inserted.has(p.id)).map((p) => p.toState().sku));
    }
    const byId = new Map(created.map((p) => [p.id, p]));
    return products.map((p) => byId.get(p.id) as ProductView);
  }

  /** The rows actually inserted: a taken sku or id skips its row (and waits for a concurrent insert of it). */
  private async insert(products: Product[]): Promise<ProductView[]> {
    const rows = await this.tx.query<ProductRow>(
      `INSERT INTO catalog.product (${INSERT_COLUMNS})
       SELECT id, sku, name, description, category, price_amount, currency, popularity, attributes::jsonb, status, version
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
                   $8::int[], $9::text[], $10::text[], $11::int[])
         AS batch(${INSERT_COLUMNS})
       ON CONFLICT DO NOTHING RETURNING *`,
      columnsOf(products),
    );
    return rows.map(toView);
  }

  lock(id: string): Promise<ProductView | undefined> {
    return lockRow(this.tx, id);
  }

  async update(product: Product, expectedVersion: number): Promise<ProductView> {
    const p = product.toState();
    let rows: ProductRow[];
    try {
      rows = rowsOf<ProductRow>(
        await this.tx.query(
          `UPDATE catalog.product
           SET sku = $3, name = $4, description = $5, category = $6, price_amount = $7, currency = $8,
               popularity = $9, attributes = $10::jsonb, status = $11, version = $12, updated_at = now(),
               indexing_status = 'pending', indexing_error = NULL
           WHERE id = $1 AND version = $2 RETURNING *`,
          [p.id, expectedVersion, ...valuesOf(product).slice(1)],
        ),
      );
    } catch (error) {
      if (isSkuTaken(error)) throw new DuplicateSkuError([p.sku]);
      throw error;
    }
    if (rows.length === 1) return toView(rows[0]);
    const [current] = await this.tx.query<{ version: number }>('SELECT version FROM catalog.product WHERE id = $1', [
      p.id,
    ]);
    throw new ProductVersionMismatchError(p.id, expectedVersion, current?.version ?? 0);
  }

  publish(message: IntegrationMessage, aggregateId: string): void {
    this.tx.publish(message, aggregateId);
  }
}

async function lockRow(tx: Transaction, id: string): Promise<ProductView | undefined> {
  const [row] = await tx.query<ProductRow>('SELECT * FROM catalog.product WHERE id = $1 FOR UPDATE', [id]);
  return row ? toView(row) : undefined;
}

/** At most this many ids in one batched read: a bounded array parameter and answer. */
const MAX_READ_BATCH = 100;

/**
 * The write model on Postgres: `catalog.product`, with free attributes as JSONB. A unit of work
 * is the messaging UnitOfWork's transaction, so products, outbox rows and the inbox entry of
 * an inbound message commit together; row locks order changes and indexing of a product.
 * Plain reads use the data source; single-product reads asked for in one turn of the event loop
 * share one query (docs/decisions/0061).
 */
@Injectable()
export class PostgresProductStore extends ProductStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {
    super();
  }

  /**
   * Scheduled with setImmediate, not DataLoader's default of the current tick: every request read
   * from the sockets in one poll phase has asked for its product by then, so under load a read
   * costs a share of one round trip. The query starts after each `get` was called, so it sees
   * everything committed before that call. No cache here: CatalogCache is the cache.
   */
  private readonly reads = new DataLoader<string, ProductView | undefined>(
    async (ids) => {
      const rows = await this.dataSource.query<ProductRow[]>('SELECT * FROM catalog.product WHERE id = ANY($1::uuid[])', [ids]);
      const byId = new Map(rows.map((row) => [row.id, toView(row)]));
      // PostgreSQL prints uuids in lower case; a path may not.
      return ids.map((id) => byId.get(id.toLowerCase()));
    },
    { cache: false, maxBatchSize: MAX_READ_BATCH, batchScheduleFn: (send) => setImmediate(send) },
  );

  transaction<T>(work: (products: ProductWriter) => Promise<T>): Promise<T> {
    return this.unitOfWork.run((tx) => work(new PostgresProductWriter(tx)));
  }

  async lockMany(tx: Transaction, ids: readonly string[]): Promise<ProductView[]> {
    const rows = await tx.query<ProductRow>('SELECT * FROM catalog.product WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids]);
    return rows.map(toView);
  }

  get(id: string): Promise<ProductView | undefined> {
    return this.reads.load(id);
  }

  async isEmpty(): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>('SELECT 1 FROM catalog.product LIMIT 1');
    return rows.length === 0;
  }

  async scanForSearch(query: ProductSearch): Promise<ProductView[]> {
    const params: unknown[] = [query.category ?? null, query.minPrice ?? null, query.maxPrice ?? null, query.limit];
    const words = (query.q?.words ?? []).map((word) => {
      params.push(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      return `(name ILIKE $${params.length} OR description ILIKE $${params.length})`;
    });
    const rows = await this.dataSource.query<ProductRow[]>(
      `SELECT * FROM catalog.product
       WHERE status = 'active' AND ($1::text IS NULL OR category = $1)
         AND ($2::bigint IS NULL OR price_amount >= $2) AND ($3::bigint IS NULL OR price_amount <= $3)
         ${words.map((w) => `AND ${w}`).join(' ')}
       ORDER BY id DESC LIMIT $4`,
      params,
    );
    return rows.map(toView);
  }

  async lockPage(tx: Transaction, afterId: string | undefined, limit: number): Promise<ProductView[]> {
    const rows = await tx.query<ProductRow>(
      `SELECT * FROM catalog.product WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2 FOR UPDATE`,
      [afterId ?? null, limit],
    );
    return rows.map(toView);
  }

  async markIndexed(tx: Transaction, versions: IndexedVersion[]): Promise<void> {
    if (versions.length === 0) return;
    await tx.query(
      `UPDATE catalog.product p
       SET indexing_status = 'indexed', indexed_at = now(), indexing_error = NULL
       FROM unnest($1::uuid[], $2::int[]) AS v(id, version)
       WHERE p.id = v.id AND p.version = v.version`,
      [versions.map((v) => v.id), versions.map((v) => v.version)],
    );
  }

  async markIndexingFailed(id: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE catalog.product SET indexing_status = 'failed', indexing_error = $2
       WHERE id = $1 AND indexing_status <> 'indexed'`,
      [id, reason],
    );
  }

  async countByIndexingStatus(): Promise<Record<IndexingStatus, number>> {
    return countsOf(
      await this.dataSource.query<StatusCount[]>(
        'SELECT indexing_status AS status, count(*)::int AS n FROM catalog.product GROUP BY indexing_status',
      ),
    );
  }

  async countUnindexed(): Promise<Record<Exclude<IndexingStatus, 'indexed'>, number>> {
    // The predicate of the partial index product_unindexed (migrations/1767000004300-catalog-unindexed-products.ts).
    const { pending, failed } = countsOf(
      await this.dataSource.query<StatusCount[]>(
        `SELECT indexing_status AS status, count(*)::int AS n FROM catalog.product
         WHERE indexing_status <> 'indexed' GROUP BY indexing_status`,
      ),
    );
    return { pending, failed };
  }
}
