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
 * The write model: products as the merchant edits them. Writes take the unit of work's
 * transaction, so a change and the events announcing it commit together.
 */
export abstract class ProductStore {
  /** Throws DuplicateSkuError when the sku (or, for products with fixed ids, the id) is taken. */
  abstract create(tx: Transaction, product: Product): Promise<ProductView>;

  /** All or none; throws DuplicateSkuError naming every sku already taken. Views in input order. */
  abstract createMany(tx: Transaction, products: Product[]): Promise<ProductView[]>;

  /**
   * The product, locked until the transaction ends against other changes and indexing, so
   * those apply one after the other.
   */
  abstract lock(tx: Transaction, id: string): Promise<ProductView | undefined>;

  /**
   * Writes the product, provided it is still at `expectedVersion` (else ProductVersionMismatchError).
   * Every write (archiving too) makes its indexing status pending again.
   */
  abstract update(tx: Transaction, product: Product, expectedVersion: number): Promise<ProductView>;

  abstract get(id: string): Promise<ProductView | undefined>;

  abstract isEmpty(): Promise<boolean>;

  /** For reindexing: the next `limit` products in id order after `afterId`, locked like `lock`. */
  abstract lockPage(tx: Transaction, afterId: string | undefined, limit: number): Promise<ProductView[]>;

  /** Marks the products indexed, each only if it is still at the version that was indexed. */
  abstract markIndexed(tx: Transaction, versions: IndexedVersion[]): Promise<void>;

  /** Outside any transaction, as the failed one rolled back; a product indexed meanwhile stays so. */
  abstract markIndexingFailed(id: string, reason: string): Promise<void>;

  abstract countByIndexingStatus(): Promise<Record<IndexingStatus, number>>;

  /**
   * For when the search index is down: active products having every word in their name or
   * description, within the category and price range, newest first; one page, no relevance.
   */
  abstract scanForSearch(query: ProductSearch): Promise<ProductView[]>;
}
