import { defineMessage } from '../message';
import { INT32_MAX, integer, object, uuid } from '../schema';

export interface ProductArchivedV1Payload {
  productId: string;
  /** The product's version after archiving; consumers ignore it if they hold a newer one. */
  version: number;
}

export const productArchivedV1Schema = object<ProductArchivedV1Payload>({ productId: uuid(), version: integer(1, INT32_MAX) });

/** A product was withdrawn from sale: it is no longer listed, searched or orderable. */
export class ProductArchivedV1 extends defineMessage<ProductArchivedV1Payload>(
  {
    type: 'catalog.product.archived',
    version: 1,
    kind: 'event',
    context: 'catalog',
  },
  productArchivedV1Schema,
) {}
