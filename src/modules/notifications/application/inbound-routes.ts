import { OrderConfirmedV1, OrderRejectedV1 } from '../../../../libs/contracts/ordering';
import { consumes, on } from '../../../../libs/messaging';
import { SendNotificationCommand } from './send-notification/send-notification.command';

/** Customers hear how their order ended. */
export const notificationsInbound = consumes('notifications', [
  on(OrderConfirmedV1, ({ orderId, customerId, total }) =>
    new SendNotificationCommand({ kind: 'order-confirmed', orderId, customerId, total }),
  ),
  on(OrderRejectedV1, ({ orderId, customerId, reasons }) =>
    new SendNotificationCommand({ kind: 'order-rejected', orderId, customerId, reasons }),
  ),
]);
