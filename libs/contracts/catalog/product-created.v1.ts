import { defineMessage } from '../message';
import { ProductSnapshotV1, productSnapshotV1Schema } from './product-snapshot.v1';

/** A product was added to the catalog. */
export class ProductCreatedV1 extends defineMessage<ProductSnapshotV1>(
  {
    type: 'catalog.product.created',
    version: 1,
    kind: 'event',
    context: 'catalog',
  },
  productSnapshotV1Schema,
) {}
