import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Notification } from '../../domain/notification';
import { NotificationRepository } from '../../infrastructure/notification.repository';
import { ListNotificationsQuery } from './list-notifications.query';

@QueryHandler(ListNotificationsQuery)
export class ListNotificationsHandler implements IQueryHandler<ListNotificationsQuery> {
  constructor(private readonly notifications: NotificationRepository) {}

  execute({ filter }: ListNotificationsQuery): Promise<Notification[]> {
    return this.notifications.list(filter);
  }
}
