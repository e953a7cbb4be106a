import { ProductArchivedV1, ProductCreatedV1, ProductUpdatedV1 } from '../../../../libs/contracts/catalog';
import { StockReservationRejectedV1, StockReservedV1 } from '../../../../libs/contracts/inventory';
import { PaymentAuthorizedV1, PaymentDeclinedV1 } from '../../../../libs/contracts/payments';
import { consumes, on } from '../../../../libs/messaging';
import { RecordParticipantReplyCommand } from './place-order-saga/saga.commands';
import { RecordProductArchivedCommand } from './product-price/record-product-archived.command';
import { RecordProductPriceCommand } from './product-price/record-product-price.command';

/** The saga participants' replies, and catalog's prices for ordering's price replica. */
export const orderingInbound = consumes('ordering', [
  on(StockReservedV1, ({ orderId }) => new RecordParticipantReplyCommand(orderId, { participant: 'inventory', accepted: true })),
  on(StockReservationRejectedV1, ({ orderId, reason }) =>
    new RecordParticipantReplyCommand(orderId, { participant: 'inventory', accepted: false, reason }),
  ),
  on(PaymentAuthorizedV1, ({ orderId, paymentId }) =>
    new RecordParticipantReplyCommand(orderId, { participant: 'payment', accepted: true, paymentId }),
  ),
  on(PaymentDeclinedV1, ({ orderId, reason }) =>
    new RecordParticipantReplyCommand(orderId, { participant: 'payment', accepted: false, reason }),
  ),
  on(ProductCreatedV1, (snapshot) => new RecordProductPriceCommand(snapshot)),
  on(ProductUpdatedV1, (snapshot) => new RecordProductPriceCommand(snapshot)),
  on(ProductArchivedV1, ({ productId, version }) => new RecordProductArchivedCommand(productId, version)),
]);
