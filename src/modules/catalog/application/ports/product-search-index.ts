import { Transaction } from '../../../../../libs/messaging';
import { Money, ProductAttributes } from '../../domain/product';

/** What the search index holds of an active product. */
export interface SearchDocument {
  productId: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price: Money;
  popularity: number;
  attributes: ProductAttributes;
  createdAt: Date;
  /** The product version this document reflects. */
  version: number;
}

export const SEARCH_SORTS = ['relevance', 'popularity', 'price_asc', 'price_desc', 'newest', 'oldest'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/**
 * Where a page ended: the last hit's sort key, in the index's own exact text form, and its id
 * as the tie-breaker. The next page starts strictly after it.
 */
export interface SearchPosition {
  key: string;
  id: string;
}

export interface SearchText {
  /** As typed (trimmed), for typo-tolerant matching. */
  text: string;
  /** Letters-and-digits words of the text, lower case; each matches as a prefix. */
  words: string[];
}

export interface ProductSearch {
  q?: SearchText;
  category?: string;
  /** Inclusive bounds on the price amount, in minor units. */
  minPrice?: number;
  maxPrice?: number;
  sort: SearchSort;
  limit: number;
  after?: SearchPosition;
  /** Also count the whole filtered result by category and price bucket. */
  facets: boolean;
}

export interface PriceBucket {
  from: number;
  /** Exclusive; null for the open-ended last bucket. */
  to: number | null;
  count: number;
}

export interface SearchFacets {
  /** Products matching the filters, over all pages. */
  total: number;
  categories: { value: string; count: number }[];
  priceBuckets: PriceBucket[];
}

export interface SearchPage {
  hits: SearchDocument[];
  /** Where the next page starts; null on the last page. */
  next: SearchPosition | null;
  facets?: SearchFacets;
  /** Answered from the write model because the search index failed: no relevance, facets or next page. */
  degraded?: boolean;
}

/** Lower bounds of the price buckets, in minor units; the last bucket is open-ended. */
export const PRICE_BUCKET_BOUNDS = [0, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000] as const;

/**
 * A rewrite of the whole index from the write model, page by page, while search keeps answering
 * from the index as it was. Changes indexed meanwhile through the port reach the rebuilt index too.
 */
export interface SearchIndexRebuild {
  /**
   * Adds or replaces documents in the index being built. They are the write model's current
   * state, so they replace what the index held before the rebuild whatever its version (say,
   * from a write model since restored from a backup).
   */
  put(tx: Transaction, documents: SearchDocument[]): Promise<void>;

  remove(tx: Transaction, productIds: string[]): Promise<void>;

  /** Makes the rebuilt index the one searched. */
  finish(): Promise<void>;

  /** Gives up after a failure: search keeps the index it had, with every change indexed meanwhile. */
  abandon(): Promise<void>;
}

/** The search read model. Fed asynchronously from catalog events; only active products are in it. */
export abstract class ProductSearchIndex {
  /** Which store answers searches, as metrics label them. */
  abstract readonly backend: 'postgres' | 'elasticsearch';

  /**
   * Adds or replaces the documents. A document older than the one held for its product (a lower
   * `version`) changes nothing, so a late or repeated write cannot bring an old state back.
   */
  abstract put(tx: Transaction, documents: SearchDocument[]): Promise<void>;

  abstract remove(tx: Transaction, productIds: string[]): Promise<void>;

  abstract search(query: ProductSearch): Promise<SearchPage>;

  /** Starts a rebuild; one at a time. */
  abstract beginRebuild(): Promise<SearchIndexRebuild>;
}
