import { ProductArchivedV1, ProductCreatedV1, ProductUpdatedV1 } from '../../../../libs/contracts/catalog';
import { consumes, on } from '../../../../libs/messaging';
import { IndexProductCommand } from './index-product/index-product.command';

/** Catalog's own events feed its search read model. */
export const catalogInbound = consumes('catalog', [
  on(ProductCreatedV1, ({ productId }) => new IndexProductCommand(productId)),
  on(ProductUpdatedV1, ({ productId }) => new IndexProductCommand(productId)),
  on(ProductArchivedV1, ({ productId }) => new IndexProductCommand(productId)),
]);
