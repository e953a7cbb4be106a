import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Notification } from '../../domain/notification';
import { NotificationRepository } from '../../infrastructure/notification.repository';
import { ListNotificationsQuery } from './list-notifications.query';

@QueryHandler(ListNotificationsQuery)
export class ListNotificationsHandler implements IQueryHandler<ListNotificationsQuery> {
  constructor(private readonly notifications: NotificationRepository) {}

  execute({ orderId, customerId }: ListNotificationsQuery): Promise<Notification[]> {
    return this.notifications.listByOrder(orderId, customerId);
  }
}
