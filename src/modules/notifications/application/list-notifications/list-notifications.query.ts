import { Query } from '@nestjs/cqrs';
import { Notification } from '../../domain/notification';
import type { NotificationFilter } from '../../infrastructure/notification.repository';

/** Notifications matching the filter, oldest first. */
export class ListNotificationsQuery extends Query<Notification[]> {
  constructor(readonly filter: NotificationFilter) {
    super();
  }
}
