import { Query } from '@nestjs/cqrs';
import { Notification } from '../../domain/notification';

/** The notifications sent about an order, oldest first. */
export class ListNotificationsQuery extends Query<Notification[]> {
  constructor(readonly orderId: string) {
    super();
  }
}
