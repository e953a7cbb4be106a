import { MoneyV1 } from '../message';

/** The public view of a product carried by catalog events. */
export interface ProductSnapshotV1 {
  productId: string;
  sku: string;
  name: string;
  category: string;
  price: MoneyV1;
  /** Monotonic per product; consumers ignore snapshots older than the one they hold. */
  version: number;
}
