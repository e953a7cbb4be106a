import { defineMessage } from '../message';

export interface ProductArchivedV1Payload {
  productId: string;
  /** The product's version after archiving; consumers ignore it if they hold a newer one. */
  version: number;
}

/** A product was withdrawn from sale: it is no longer listed, searched or orderable. */
export class ProductArchivedV1 extends defineMessage<ProductArchivedV1Payload>({
  type: 'catalog.product.archived',
  version: 1,
  kind: 'event',
  context: 'catalog',
}) {}
