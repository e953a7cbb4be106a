import { DynamicModule, Module } from '@nestjs/common';
import type { BaseUrl } from '../../../libs/http';
import { NotificationsController } from './api/notifications.controller';
import { PreferencesController } from './api/preferences.controller';
import { NotificationDelivery } from './application/deliver-notifications/notification-delivery';
import { GetPreferencesHandler } from './application/get-preferences/get-preferences.handler';
import { notificationsInbound } from './application/inbound-routes';
import { ListNotificationsHandler } from './application/list-notifications/list-notifications.handler';
import { NOTIFICATION_SENDERS, NotificationSenders } from './application/ports/notification-sender';
import { RecordContactHandler } from './application/record-contact/record-contact.handler';
import { RecordProductNameHandler } from './application/record-product-name/record-product-name.handler';
import { ResendNotificationHandler } from './application/resend-notification/resend-notification.handler';
import { SendNotificationHandler } from './application/send-notification/send-notification.handler';
import { UpdatePreferencesHandler } from './application/update-preferences/update-preferences.handler';
import { ContactRepository } from './infrastructure/contact.repository';
import { MessagingProviderClient } from './infrastructure/messaging-provider.client';
import { NotificationRepository } from './infrastructure/notification.repository';
import { OrderCustomerRepository } from './infrastructure/order-customer.repository';
import { ProductNameRepository } from './infrastructure/product-name.repository';
import { PushNotificationSender } from './infrastructure/push-notification.sender';
import { SmsNotificationSender } from './infrastructure/sms-notification.sender';
import { SmtpNotificationSender } from './infrastructure/smtp-notification.sender';
import { NOT_CONFIGURED, UnconfiguredChannelSender } from './infrastructure/unconfigured-channel.sender';
import { DEFAULT_NOTIFICATIONS_OPTIONS, NOTIFICATIONS_OPTIONS, NotificationsOptions } from './notifications.options';

/** A provider's client; none where no provider is configured. */
function providerAt(url: BaseUrl | undefined, name: string, timeoutMs: number): MessagingProviderClient | undefined {
  return url === undefined ? undefined : new MessagingProviderClient({ name, baseUrl: url, timeoutMs });
}

/** Tells customers what became of their orders, by e-mail, SMS and push. */
@Module({})
export class NotificationsModule {
  static forRoot(options: Partial<NotificationsOptions> = {}): DynamicModule {
    const resolved = { ...DEFAULT_NOTIFICATIONS_OPTIONS, ...options };
    return {
      module: NotificationsModule,
      controllers: [NotificationsController, PreferencesController],
      providers: [
        { provide: NOTIFICATIONS_OPTIONS, useValue: resolved },
        SendNotificationHandler,
        RecordContactHandler,
        RecordProductNameHandler,
        ListNotificationsHandler,
        ResendNotificationHandler,
        GetPreferencesHandler,
        UpdatePreferencesHandler,
        notificationsInbound.provider,
        NotificationDelivery,
        NotificationRepository,
        ContactRepository,
        OrderCustomerRepository,
        ProductNameRepository,
        {
          provide: NOTIFICATION_SENDERS,
          useFactory: (): NotificationSenders => {
            const { smtpUrl, providerTimeoutMs } = resolved;
            const sms = providerAt(resolved.smsProviderUrl, 'SMS provider', providerTimeoutMs);
            const push = providerAt(resolved.pushProviderUrl, 'push provider', providerTimeoutMs);
            return {
              email:
                smtpUrl === undefined
                  ? new UnconfiguredChannelSender(NOT_CONFIGURED.email)
                  : new SmtpNotificationSender({ url: smtpUrl, from: resolved.smtpFrom, timeoutMs: resolved.smtpTimeoutMs }),
              sms: sms ? new SmsNotificationSender(sms) : new UnconfiguredChannelSender(NOT_CONFIGURED.sms),
              push: push ? new PushNotificationSender(push) : new UnconfiguredChannelSender(NOT_CONFIGURED.push),
            };
          },
        },
      ],
    };
  }
}
