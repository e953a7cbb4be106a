import { IntegrationMessage } from '../../../../../libs/contracts/message';
import { Transaction } from '../../../../../libs/messaging';
import { Product } from '../../domain/product';
import { ProductSearch } from './product-search-index';
import { IndexingStatus, ProductView } from '../product.view';

/** Which version of a product the search index now reflects. */
export interface IndexedVersion {
  id: string;
  version: number;
}

/**
 * One unit of work of the write model: the products it writes and the events it publishes
 * commit together, or none of them does.
 */
export interface ProductWriter {
  /** Throws DuplicateSkuError when the sku (or, for products with fixed ids, the id) is taken. */
  create(product: Product): Promise<ProductView>;

  /** All or none; throws DuplicateSkuError naming every sku already taken. Views in input order. */
  createMany(products: Product[]): Promise<ProductView[]>;

  /**
   * The product, with other changes and indexing of it held off until the unit of work ends,
   * so those apply one after the other.
   */
  lock(id: string): Promise<ProductView | undefined>;

  /**
   * Writes the product, provided it is still at `expectedVersion` (else ProductVersionMismatchError).
   * Every write (archiving too) makes its indexing status pending again.
   */
  update(product: Product, expectedVersion: number): Promise<ProductView>;

  /** Queues a contract message about `aggregateId`; it reaches the outbox only if the unit of work commits. */
  publish(message: IntegrationMessage, aggregateId: string): void;
}

/**
 * The write model: products as the merchant edits them. Changes go through `transaction`,
 * which owns the unit of work. Indexing runs in the messaging unit of work that records the
 * inbound event (UnitOfWork, with the Postgres search read model), so its operations take
 * that transaction.
 */
export abstract class ProductStore {
  /**
   * Runs `work` as one unit of work. When an inbound message caused it, the message is recorded
   * as handled only if the work succeeds. The work may run more than once (a store retries
   * transient conflicts), so it must do nothing but call the writer.
   */
  abstract transaction<T>(work: (products: ProductWriter) => Promise<T>): Promise<T>;

  abstract get(id: string): Promise<ProductView | undefined>;

  abstract isEmpty(): Promise<boolean>;

  /**
   * For indexing: the products that exist among `ids`, with changes and other indexing of them
   * held off until `tx` ends (taken in id order, so concurrent indexers queue, not deadlock).
   */
  abstract lockMany(tx: Transaction, ids: readonly string[]): Promise<ProductView[]>;

  /** For reindexing: the next `limit` products in id order after `afterId`, held like `lock`. */
  abstract lockPage(tx: Transaction, afterId: string | undefined, limit: number): Promise<ProductView[]>;

  /** Marks the products indexed, each only if it is still at the version that was indexed. */
  abstract markIndexed(tx: Transaction, versions: IndexedVersion[]): Promise<void>;

  /** Outside any transaction, as the failed one rolled back; a product indexed meanwhile stays so. */
  abstract markIndexingFailed(id: string, reason: string): Promise<void>;

  abstract countByIndexingStatus(): Promise<Record<IndexingStatus, number>>;

  /**
   * The products not indexed: pending or failed. Read from an index of those alone, so that
   * asking often while a large import is indexed does not scan the indexed ones each time.
   */
  abstract countUnindexed(): Promise<Record<Exclude<IndexingStatus, 'indexed'>, number>>;

  /**
   * For when the search index is down: active products having every word in their name or
   * description, within the category and price range, newest first; one page, no relevance.
   */
  abstract scanForSearch(query: ProductSearch): Promise<ProductView[]>;
}
