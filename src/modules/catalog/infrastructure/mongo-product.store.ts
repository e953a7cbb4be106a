import { Injectable } from '@nestjs/common';
import type { ClientSession, PipelineStage, QueryFilter } from 'mongoose';
import { IntegrationMessage } from '../../../../libs/contracts/message';
import { createEnvelope, Envelope, MessageContext, Transaction, UnitOfWork } from '../../../../libs/messaging';
import { IndexedVersion, ProductStore, ProductWriter } from '../application/ports/product-store';
import { ProductSearch } from '../application/ports/product-search-index';
import { IndexingStatus, indexingCounts, ProductView } from '../application/product.view';
import { Product } from '../domain/product';
import { DuplicateSkuError, ProductVersionMismatchError } from '../domain/product.errors';
import { MongoCatalog, ProductDocument } from './mongo-catalog.models';
import { MongoCatalogOutboxRelay } from './mongo-catalog-outbox.relay';

/** First key of the catalog's product holds (two-int advisory lock key space); the second is hashtext(id). */
const PRODUCT_HOLD_SPACE = 1_667_331_073;

/** Snapshot reads of majority-committed data, and commits that survive a primary change. */
const TRANSACTION_OPTIONS = { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } } as const;

function toView(document: ProductDocument): ProductView {
  const { _id, price, indexing, ...rest } = document;
  return {
    id: _id,
    ...rest,
    price: { amount: price.amount, currency: price.currency },
    indexing: { status: indexing.status, indexedAt: indexing.indexedAt ?? null, error: indexing.error ?? null },
  };
}

/** The stored fields a product's details and status set. */
function fieldsOf(product: Product): Omit<ProductDocument, '_id' | 'createdAt' | 'updatedAt' | 'indexing'> {
  const { id: _id, ...fields } = product.toState();
  return fields;
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 11000;
}

/**
 * Holds products against changes and indexing by other units of work until `tx` ends: a
 * Postgres advisory lock per product in the messaging transaction, which MongoDB (without row
 * locks) cannot give. Keys are taken in one order, so two holders of several cannot deadlock.
 */
async function hold(tx: Transaction, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(
    `SELECT count(pg_advisory_xact_lock($1::int, key))
     FROM (SELECT DISTINCT hashtext(id) AS key FROM unnest($2::text[]) AS id ORDER BY key) AS keys`,
    [PRODUCT_HOLD_SPACE, ids],
  );
}

/** Product writes in one MongoDB transaction; their events go to `catalog_outbox` in it. */
class MongoProductWriter implements ProductWriter {
  readonly published: Envelope[] = [];

  constructor(
    private readonly catalog: MongoCatalog,
    private readonly session: ClientSession,
    private readonly tx: Transaction,
  ) {}

  async create(product: Product): Promise<ProductView> {
    const [created] = await this.createMany([product]);
    return created;
  }

  async createMany(products: Product[]): Promise<ProductView[]> {
    const now = new Date();
    const documents: ProductDocument[] = products.map((product) => ({
      _id: product.id,
      ...fieldsOf(product),
      createdAt: now,
      updatedAt: now,
      indexing: { status: 'pending', indexedAt: null, error: null },
    }));
    try {
      await this.catalog.products.insertMany(documents, { session: this.session, lean: true });
    } catch (error) {
      const taken = isDuplicateKey(error) ? await this.takenSkus(products) : [];
      throw taken.length > 0 ? new DuplicateSkuError(taken) : error;
    }
    return documents.map(toView);
  }

  /**
   * The skus of `products` whose sku or id another product has. Read outside the transaction,
   * which the failed insert aborted; the committed product that refused the insert is visible.
   */
  private async takenSkus(products: Product[]): Promise<string[]> {
    const states = products.map((p) => p.toState());
    const taken = await this.catalog.products
      .find({ $or: [{ sku: { $in: states.map((s) => s.sku) } }, { _id: { $in: states.map((s) => s.id) } }] })
      .select({ sku: 1 })
      .lean();
    const takenSkus = new Set(taken.map((t) => t.sku));
    const takenIds = new Set(taken.map((t) => t._id));
    return states.filter((s) => takenSkus.has(s.sku) || takenIds.has(s.id)).map((s) => s.sku);
  }

  async lock(id: string): Promise<ProductView | undefined> {
    await hold(this.tx, [id]);
    const document = await this.catalog.products.findById(id).session(this.session).lean();
    return document ? toView(document) : undefined;
  }

  async update(product: Product, expectedVersion: number): Promise<ProductView> {
    let updated: ProductDocument | null;
    try {
      updated = await this.catalog.products
        .findOneAndUpdate(
          { _id: product.id, version: expectedVersion },
          { $set: { ...fieldsOf(product), updatedAt: new Date(), 'indexing.status': 'pending', 'indexing.error': null } },
          { session: this.session, returnDocument: 'after' },
        )
        .lean();
    } catch (error) {
      if (isDuplicateKey(error)) throw new DuplicateSkuError([product.toState().sku]);
      throw error;
    }
    if (updated) return toView(updated);
    const current = await this.catalog.products.findById(product.id).session(this.session).select({ version: 1 }).lean();
    throw new ProductVersionMismatchError(product.id, expectedVersion, current?.version ?? 0);
  }

  publish(message: IntegrationMessage, aggregateId: string): void {
    this.published.push(createEnvelope(message, aggregateId, MessageContext.origin()));
  }
}

/**
 * The write model on MongoDB (when MONGODB_URL is set): the `products` collection, with a
 * unique sku index and optimistic concurrency on `version`. A unit of work is a MongoDB
 * transaction (which needs a replica set) holding the product writes and their events, in
 * `catalog_outbox`; MongoCatalogOutboxRelay copies those to the messaging outbox. The
 * transaction runs inside a messaging unit of work, which records an inbound message as
 * handled only after the MongoDB transaction committed. See docs/decisions/0008.
 */
@Injectable()
export class MongoProductStore extends ProductStore {
  constructor(
    private readonly catalog: MongoCatalog,
    private readonly unitOfWork: UnitOfWork,
    private readonly relay: MongoCatalogOutboxRelay,
  ) {
    super();
  }

  async transaction<T>(work: (products: ProductWriter) => Promise<T>): Promise<T> {
    let published = 0;
    const result = await this.unitOfWork.run((tx) =>
      // Retried as a whole on transient errors (write conflicts); a retry starts a fresh writer.
      this.catalog.connection.transaction(async (session) => {
        const writer = new MongoProductWriter(this.catalog, session, tx);
        const value = await work(writer);
        if (writer.published.length > 0) {
          const events = writer.published.map((envelope) => ({ _id: envelope.id, envelope }));
          await this.catalog.outbox.insertMany(events, { session, lean: true });
        }
        published = writer.published.length;
        return value;
      }, TRANSACTION_OPTIONS),
    );
    if (published > 0) this.relay.kick();
    return result;
  }

  async get(id: string): Promise<ProductView | undefined> {
    const document = await this.catalog.products.findById(id).lean();
    return document ? toView(document) : undefined;
  }

  async isEmpty(): Promise<boolean> {
    return (await this.catalog.products.exists({})) === null;
  }

  async lockMany(tx: Transaction, ids: readonly string[]): Promise<ProductView[]> {
    await hold(tx, [...ids]);
    const documents = await this.catalog.products.find({ _id: { $in: [...ids] } }).sort({ _id: 1 }).lean();
    return documents.map(toView);
  }

  /** Finds the page, holds its products, then reads them again: what the hold guards is what is returned. */
  async lockPage(tx: Transaction, afterId: string | undefined, limit: number): Promise<ProductView[]> {
    const filter: QueryFilter<ProductDocument> = afterId === undefined ? {} : { _id: { $gt: afterId } };
    const page = await this.catalog.products.find(filter).sort({ _id: 1 }).limit(limit).select({ _id: 1 }).lean();
    const ids = page.map((p) => p._id);
    await hold(tx, ids);
    const documents = await this.catalog.products.find({ _id: { $in: ids } }).sort({ _id: 1 }).lean();
    return documents.map(toView);
  }

  /**
   * Version-conditional, so it is idempotent and a late indexer cannot mark a newer version:
   * it commits before `tx`, and a redelivery after `tx` failed does it again harmlessly.
   */
  async markIndexed(_tx: Transaction, versions: IndexedVersion[]): Promise<void> {
    if (versions.length === 0) return;
    const indexedAt = new Date();
    await this.catalog.products.bulkWrite(
      versions.map(({ id, version }) => ({
        updateOne: {
          filter: { _id: id, version },
          update: { $set: { 'indexing.status': 'indexed', 'indexing.indexedAt': indexedAt, 'indexing.error': null } },
        },
      })),
      { ordered: false },
    );
  }

  async markIndexingFailed(id: string, reason: string): Promise<void> {
    await this.catalog.products.updateOne(
      { _id: id, 'indexing.status': { $ne: 'indexed' } },
      { $set: { 'indexing.status': 'failed', 'indexing.error': reason } },
    );
  }

  countByIndexingStatus(): Promise<Record<IndexingStatus, number>> {
    return this.countIndexing([]);
  }

  async countUnindexed(): Promise<Record<Exclude<IndexingStatus, 'indexed'>, number>> {
    // Matched on the product_indexing_status index, which holds every status.
    const { pending, failed } = await this.countIndexing([{ $match: { 'indexing.status': { $in: ['pending', 'failed'] } } }]);
    return { pending, failed };
  }

  private async countIndexing(match: PipelineStage.Match[]): Promise<Record<IndexingStatus, number>> {
    const groups = await this.catalog.products.aggregate<{ _id: IndexingStatus; n: number }>([
      ...match,
      { $group: { _id: '$indexing.status', n: { $sum: 1 } } },
    ]);
    return indexingCounts(groups.map(({ _id, n }) => [_id, n] as const));
  }

  /** As the Postgres adapter's ILIKE '%word%': each word, taken literally, anywhere in name or description, any case. */
  async scanForSearch(query: ProductSearch): Promise<ProductView[]> {
    const filter: QueryFilter<ProductDocument> = { status: 'active' };
    if (query.category !== undefined) filter.category = query.category;
    if (query.minPrice !== undefined || query.maxPrice !== undefined) {
      filter['price.amount'] = {
        ...(query.minPrice !== undefined && { $gte: query.minPrice }),
        ...(query.maxPrice !== undefined && { $lte: query.maxPrice }),
      };
    }
    const words = (query.q?.words ?? []).map((word) => {
      const pattern = new RegExp(word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      return { $or: [{ name: pattern }, { description: pattern }] };
    });
    if (words.length > 0) filter.$and = words;
    const documents = await this.catalog.products.find(filter).sort({ _id: -1 }).limit(query.limit).lean();
    return documents.map(toView);
  }
}
