import { ProductSnapshotV1 } from '../../../../libs/contracts/catalog';
import { ProductView } from './product.view';

/** The public part of a product that catalog events carry. */
export function snapshotOf(product: ProductView): ProductSnapshotV1 {
  return {
    productId: product.id,
    sku: product.sku,
    name: product.name,
    category: product.category,
    price: { amount: product.price.amount, currency: product.price.currency },
    version: product.version,
  };
}
