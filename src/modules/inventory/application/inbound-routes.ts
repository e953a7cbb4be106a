import { ProductCreatedV1, ProductUpdatedV1 } from '../../../../libs/contracts/catalog';
import { CommitReservationV1, ReleaseReservationV1, ReserveStockV1 } from '../../../../libs/contracts/inventory';
import { consumes, on } from '../../../../libs/messaging';
import { CommitReservationCommand } from './commit-reservation/commit-reservation.command';
import { RecordProductCommand } from './record-product/record-product.command';
import { ReleaseReservationCommand } from './release-reservation/release-reservation.command';
import { ReserveStockCommand } from './reserve-stock/reserve-stock.command';

/** The saga's stock requests, and catalog's products (so stock can only be set for a real one). */
export const inventoryInbound = consumes('inventory', [
  on(ReserveStockV1, ({ orderId, lines }) => new ReserveStockCommand(orderId, lines)),
  on(CommitReservationV1, ({ orderId }) => new CommitReservationCommand(orderId)),
  on(ReleaseReservationV1, ({ orderId }) => new ReleaseReservationCommand(orderId)),
  on(ProductCreatedV1, ({ productId }) => new RecordProductCommand(productId)),
  on(ProductUpdatedV1, ({ productId }) => new RecordProductCommand(productId)),
]);
