import { MoneyV1, moneyV1Schema } from '../message';
import { INT32_MAX, integer, object, text, uuid } from '../schema';

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

/** The catalog's own limits on these fields (PRODUCT_RULES) hold here too. */
export const productSnapshotV1Schema = object<ProductSnapshotV1>({
  productId: uuid(),
  sku: text(64, { pattern: '^[A-Za-z0-9._-]+$' }),
  name: text(200),
  category: text(100),
  price: moneyV1Schema,
  version: integer(1, INT32_MAX),
});
