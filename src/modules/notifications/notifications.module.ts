import { Module } from '@nestjs/common';
import { NotificationsController } from './api/notifications.controller';
import { notificationsInbound } from './application/inbound-routes';
import { ListNotificationsHandler } from './application/list-notifications/list-notifications.handler';
import { NOTIFICATION_SENDER } from './application/ports/notification-sender';
import { SendNotificationHandler } from './application/send-notification/send-notification.handler';
import { LogNotificationSender } from './infrastructure/log-notification.sender';
import { NotificationRepository } from './infrastructure/notification.repository';

/** Tells customers what became of their orders. */
@Module({
  controllers: [NotificationsController],
  providers: [
    SendNotificationHandler,
    ListNotificationsHandler,
    notificationsInbound.provider,
    NotificationRepository,
    { provide: NOTIFICATION_SENDER, useClass: LogNotificationSender },
  ],
})
export class NotificationsModule {}
