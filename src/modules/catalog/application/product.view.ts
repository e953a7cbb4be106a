import { ProductState } from '../domain/product';

export const INDEXING_STATUSES = ['pending', 'indexed', 'failed'] as const;
/** Whether the search index reflects the product's current version. */
export type IndexingStatus = (typeof INDEXING_STATUSES)[number];

export interface IndexingState {
  status: IndexingStatus;
  /** Last time the index caught up with the product; null before the first time. */
  indexedAt: Date | null;
  /** Why the last attempt failed, while the status is `failed`. */
  error: string | null;
}

/** A product as the catalog's write model holds it. */
export interface ProductView extends ProductState {
  createdAt: Date;
  updatedAt: Date;
  indexing: IndexingState;
}
