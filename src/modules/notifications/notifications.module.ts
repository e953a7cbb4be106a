import { Module } from '@nestjs/common';
import { NotificationsController } from './api/notifications.controller';
import { notificationsInbound } from './application/inbound-routes';
import { ListNotificationsHandler } from './application/list-notifications/list-notifications.handler';
import { NOTIFICATION_SENDER } from './application/ports/notification-sender';
import { RecordContactHandler } from './application/record-contact/record-contact.handler';
import { SendNotificationHandler } from './application/send-notification/send-notification.handler';
import { ContactRepository } from './infrastructure/contact.repository';
import { LogNotificationSender } from './infrastructure/log-notification.sender';
import { NotificationRepository } from './infrastructure/notification.repository';

/** Tells customers what became of their orders. */
@Module({
  controllers: [NotificationsController],
  providers: [
    SendNotificationHandler,
    RecordContactHandler,
    ListNotificationsHandler,
    notificationsInbound.provider,
    NotificationRepository,
    ContactRepository,
    { provide: NOTIFICATION_SENDER, useClass: LogNotificationSender },
  ],
})
export class NotificationsModule {}
