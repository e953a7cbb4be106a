import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Connection, Model, Schema as MongooseSchema } from 'mongoose';
import { Envelope } from '../../../../libs/messaging';
import { IndexingState } from '../application/product.view';
import { ProductState } from '../domain/product';

/** A product as the `products` collection holds it; `_id` is the product id (a UUID string). */
export interface ProductDocument extends Omit<ProductState, 'id'> {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
  indexing: IndexingState;
}

/** An event committed with a product change, waiting to be copied to the messaging outbox. */
export interface OutboxDocument {
  /** The envelope id: UUIDv7, so id order is publication order within a process. */
  _id: string;
  envelope: Envelope;
}

/**
 * The collections' schemas, built when a connection is opened: mongoose is loaded only by a
 * process whose catalog lives in MongoDB.
 */
function catalogSchemas(Schema: typeof MongooseSchema) {
  const productSchema = new Schema<ProductDocument>(
    {
      _id: { type: String, required: true },
      sku: { type: String, required: true },
      name: { type: String, required: true },
      description: { type: String, default: '' },
      category: { type: String, required: true },
      price: { amount: { type: Number, required: true }, currency: { type: String, required: true } },
      popularity: { type: Number, required: true },
      attributes: { type: Schema.Types.Mixed, default: {} },
      status: { type: String, required: true },
      version: { type: Number, required: true },
      createdAt: { type: Date, required: true },
      updatedAt: { type: Date, required: true },
      indexing: {
        status: { type: String, required: true },
        indexedAt: { type: Date, default: null },
        error: { type: String, default: null },
      },
    },
    // `minimize: false` keeps empty attributes as `{}`; the domain, not the schema, validates products.
    { collection: 'products', versionKey: false, minimize: false, strict: 'throw' },
  );
  productSchema.index({ sku: 1 }, { unique: true, name: 'product_sku_unique' });
  productSchema.index({ 'indexing.status': 1 }, { name: 'product_indexing_status' });
  productSchema.index({ status: 1, category: 1, 'price.amount': 1 }, { name: 'product_scan' });

  const outboxSchema = new Schema<OutboxDocument>(
    {
      _id: { type: String, required: true },
      envelope: { type: Schema.Types.Mixed, required: true },
    },
    { collection: 'catalog_outbox', versionKey: false, minimize: false },
  );
  return { productSchema, outboxSchema };
}

/**
 * Fails the start-up, rather than the first write, when the server cannot run transactions:
 * only replica set members (a single-node replica set will do) and mongos can.
 */
async function assertTransactions(connection: Connection): Promise<void> {
  const hello = await connection.db!.admin().command({ hello: 1 });
  if (hello.setName === undefined && hello.msg !== 'isdbgrid') {
    await connection.close();
    throw new Error(
      'MONGODB_URL points at a standalone MongoDB server; the catalog needs transactions, so a replica set or mongos',
    );
  }
}

/** The catalog's MongoDB connection and its collections, with their indexes in place. */
export class MongoCatalog {
  private constructor(
    readonly connection: Connection,
    readonly products: Model<ProductDocument>,
    readonly outbox: Model<OutboxDocument>,
  ) {}

  static async connect(url: string): Promise<MongoCatalog> {
    const { createConnection, Schema } = await import('mongoose');
    const { productSchema, outboxSchema } = catalogSchemas(Schema);
    const connection = await createConnection(url).asPromise();
    await assertTransactions(connection);
    const catalog = new MongoCatalog(
      connection,
      connection.model<ProductDocument>('CatalogProduct', productSchema),
      connection.model<OutboxDocument>('CatalogOutbox', outboxSchema),
    );
    // Collections cannot be created inside a transaction on every server version, and the sku
    // index must exist before the first insert relies on it.
    await Promise.all([catalog.products.init(), catalog.outbox.init()]);
    return catalog;
  }
}

/** Closes the connection after the relay stopped copying (it stops before shutdown). */
@Injectable()
export class MongoCatalogCloser implements OnApplicationShutdown {
  constructor(private readonly catalog: MongoCatalog) {}

  async onApplicationShutdown(): Promise<void> {
    await this.catalog.connection.close();
  }
}
