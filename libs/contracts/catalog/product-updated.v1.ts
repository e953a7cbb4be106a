import { defineMessage } from '../message';
import { ProductSnapshotV1, productSnapshotV1Schema } from './product-snapshot.v1';

/** A product's public data changed; carries the whole new snapshot. */
export class ProductUpdatedV1 extends defineMessage<ProductSnapshotV1>(
  {
    type: 'catalog.product.updated',
    version: 1,
    kind: 'event',
    context: 'catalog',
  },
  productSnapshotV1Schema,
) {}
