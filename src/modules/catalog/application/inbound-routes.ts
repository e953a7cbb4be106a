import { ProductArchivedV1, ProductCreatedV1, ProductUpdatedV1 } from '../../../../libs/contracts/catalog';
import { consumes, on } from '../../../../libs/messaging';
import { IndexProductCommand } from './index-product/index-product.command';

/**
 * Catalog's own events feed its search read model. Indexing commits in a unit of work of its own
 * (the products' locks, the index, the marks and the inbox), outside the batch's shared
 * transaction: an import's thousands of events then do not hold the relay's next deliveries to the
 * other contexts back while the index is written, and with an external index (Elasticsearch) no
 * shared transaction waits on a remote call.
 */
const ownTransaction = { ownTransactions: true };

export const catalogInbound = consumes('catalog', [
  on(ProductCreatedV1, ({ productId }) => new IndexProductCommand(productId), ownTransaction),
  on(ProductUpdatedV1, ({ productId }) => new IndexProductCommand(productId), ownTransaction),
  on(ProductArchivedV1, ({ productId }) => new IndexProductCommand(productId), ownTransaction),
]);
