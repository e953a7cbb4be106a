import { ProductArchivedV1, ProductCreatedV1, ProductUpdatedV1 } from '../../../../libs/contracts/catalog';
import { ReservationCommittedV1, StockReservationRejectedV1, StockReservedV1 } from '../../../../libs/contracts/inventory';
import {
  PaymentAuthorizedV1,
  PaymentCapturedV1,
  PaymentCaptureFailedV1,
  PaymentDeclinedV1,
  PaymentParkedV1,
  PaymentTransferRequestedV1,
} from '../../../../libs/contracts/payments';
import { consumes, on } from '../../../../libs/messaging';
import { RecordOrderProgressCommand, RecordParticipantReplyCommand } from './place-order-saga/saga.commands';
import { RecordProductArchivedCommand } from './product-price/record-product-archived.command';
import { RecordProductPriceCommand } from './product-price/record-product-price.command';

/** The saga participants' replies and what follows them, and catalog's prices for ordering's price replica. */
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
  on(PaymentParkedV1, ({ orderId, parkedUntil }) =>
    new RecordOrderProgressCommand(orderId, { kind: 'payment-parked', parkedUntil: new Date(parkedUntil) }),
  ),
  on(PaymentTransferRequestedV1, ({ orderId, paymentId: _paymentId, ...request }) =>
    new RecordOrderProgressCommand(orderId, { kind: 'payment-transfer-requested', request }),
  ),
  on(PaymentCapturedV1, ({ orderId }) => new RecordOrderProgressCommand(orderId, { kind: 'payment-captured' })),
  on(ReservationCommittedV1, ({ orderId }) => new RecordOrderProgressCommand(orderId, { kind: 'stock-committed' })),
  on(PaymentCaptureFailedV1, ({ orderId, reason }) => new RecordOrderProgressCommand(orderId, { kind: 'capture-failed', reason })),
  on(ProductCreatedV1, (snapshot) => new RecordProductPriceCommand(snapshot)),
  on(ProductUpdatedV1, (snapshot) => new RecordProductPriceCommand(snapshot)),
  on(ProductArchivedV1, ({ productId, version }) => new RecordProductArchivedCommand(productId, version)),
]);
