import { DynamicModule, Module } from '@nestjs/common';
import { NotificationsController } from './api/notifications.controller';
import { NotificationDelivery } from './application/deliver-notifications/notification-delivery';
import { notificationsInbound } from './application/inbound-routes';
import { ListNotificationsHandler } from './application/list-notifications/list-notifications.handler';
import { NOTIFICATION_SENDER } from './application/ports/notification-sender';
import { ResendNotificationHandler } from './application/resend-notification/resend-notification.handler';
import { RecordContactHandler } from './application/record-contact/record-contact.handler';
import { SendNotificationHandler } from './application/send-notification/send-notification.handler';
import { ContactRepository } from './infrastructure/contact.repository';
import { LogNotificationSender } from './infrastructure/log-notification.sender';
import { NotificationRepository } from './infrastructure/notification.repository';
import { SmtpNotificationSender } from './infrastructure/smtp-notification.sender';
import { DEFAULT_NOTIFICATIONS_OPTIONS, NOTIFICATIONS_OPTIONS, NotificationsOptions } from './notifications.options';

/** Tells customers what became of their orders. */
@Module({})
export class NotificationsModule {
  static forRoot(options: Partial<NotificationsOptions> = {}): DynamicModule {
    const resolved = { ...DEFAULT_NOTIFICATIONS_OPTIONS, ...options };
    return {
      module: NotificationsModule,
      controllers: [NotificationsController],
      providers: [
        { provide: NOTIFICATIONS_OPTIONS, useValue: resolved },
        SendNotificationHandler,
        RecordContactHandler,
        ListNotificationsHandler,
        ResendNotificationHandler,
        notificationsInbound.provider,
        NotificationDelivery,
        NotificationRepository,
        ContactRepository,
        {
          provide: NOTIFICATION_SENDER,
          useFactory: () =>
            resolved.smtpUrl === undefined
              ? new LogNotificationSender()
              : new SmtpNotificationSender({ url: resolved.smtpUrl, from: resolved.smtpFrom, timeoutMs: resolved.smtpTimeoutMs }),
        },
      ],
    };
  }
}
