import { UserRegisteredV1 } from '../../../../libs/contracts/identity';
import { OrderConfirmedV1, OrderRejectedV1 } from '../../../../libs/contracts/ordering';
import { consumes, on } from '../../../../libs/messaging';
import { RecordContactCommand } from './record-contact/record-contact.command';
import { SendNotificationCommand } from './send-notification/send-notification.command';

/** Customers hear how their order ended, at the address they registered with. */
export const notificationsInbound = consumes('notifications', [
  on(UserRegisteredV1, ({ userId, email }) => new RecordContactCommand(userId, email)),
  on(OrderConfirmedV1, ({ orderId, customerId, total }) =>
    new SendNotificationCommand({ kind: 'order-confirmed', orderId, customerId, total }),
  ),
  on(OrderRejectedV1, ({ orderId, customerId, reasons }) =>
    new SendNotificationCommand({ kind: 'order-rejected', orderId, customerId, reasons }),
  ),
]);
