import { ProductState } from '../domain/product';

export const INDEXING_STATUSES = ['pending', 'indexed', 'failed'] as const;
/** Whether the search index reflects the product's current version. */
export type IndexingStatus = (typeof INDEXING_STATUSES)[number];

/** Products by indexing status, from a count per status found; a status not found counts 0. */
export function indexingCounts(found: Iterable<readonly [IndexingStatus, number]>): Record<IndexingStatus, number> {
  const counts = Object.fromEntries(INDEXING_STATUSES.map((status) => [status, 0])) as Record<IndexingStatus, number>;
  for (const [status, n] of found) counts[status] = n;
  return counts;
}

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
