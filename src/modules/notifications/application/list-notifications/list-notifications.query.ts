import { Query } from '@nestjs/cqrs';
import { Notification } from '../../domain/notification';

/** The notifications sent about an order, oldest first; only those to `customerId` when set. */
export class ListNotificationsQuery extends Query<Notification[]> {
  constructor(
    readonly orderId: string,
    readonly customerId?: string,
  ) {
    super();
  }
}
