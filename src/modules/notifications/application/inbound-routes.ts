import { ProductCreatedV1, ProductSnapshotV1, ProductUpdatedV1 } from '../../../../libs/contracts/catalog';
import { UserRegisteredV1 } from '../../../../libs/contracts/identity';
import { OrderCancelledV1, OrderCompletedV1, OrderConfirmedV1, OrderRejectedV1 } from '../../../../libs/contracts/ordering';
import { PaymentRefundedV1 } from '../../../../libs/contracts/payments';
import { consumes, on } from '../../../../libs/messaging';
import { RecordContactCommand } from './record-contact/record-contact.command';
import { RecordProductNameCommand } from './record-product-name/record-product-name.command';
import { SendNotificationCommand } from './send-notification/send-notification.command';

const productName = ({ productId, name, version }: ProductSnapshotV1) => new RecordProductNameCommand({ productId, name, version });

/**
 * Customers hear what becomes of their order and its payment, at the address they registered
 * with; catalog's product names let an order's lines read as the customer knows them.
 */
export const notificationsInbound = consumes('notifications', [
  on(UserRegisteredV1, ({ userId, email }) => new RecordContactCommand(userId, email)),
  on(ProductCreatedV1, productName),
  on(ProductUpdatedV1, productName),
  on(OrderConfirmedV1, ({ orderId, customerId, total, lines }) =>
    new SendNotificationCommand({ kind: 'order-confirmed', orderId, customerId, total, lines }),
  ),
  on(OrderRejectedV1, ({ orderId, customerId, reasons }) =>
    new SendNotificationCommand({ kind: 'order-rejected', orderId, customerId, reasons }),
  ),
  on(OrderCompletedV1, ({ orderId, customerId, total }) =>
    new SendNotificationCommand({ kind: 'order-completed', orderId, customerId, total }),
  ),
  on(OrderCancelledV1, ({ orderId, customerId, total, reasons }) =>
    new SendNotificationCommand({ kind: 'order-cancelled', orderId, customerId, total, reasons }),
  ),
  on(PaymentRefundedV1, ({ orderId, refundId, amount, totalRefunded, paymentStatus }) =>
    new SendNotificationCommand({ kind: 'payment-refunded', orderId, refundId, amount, totalRefunded, fullyRefunded: paymentStatus === 'REFUNDED' }),
  ),
]);
