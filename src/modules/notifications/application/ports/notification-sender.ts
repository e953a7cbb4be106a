import { NotificationChannel, NotificationTemplate } from '../../domain/notification';

export const NOTIFICATION_SENDER = Symbol('NOTIFICATION_SENDER');

export interface OutgoingNotification {
  notificationId: string;
  channel: NotificationChannel;
  customerId: string;
  recipient: string | null;
  template: NotificationTemplate;
  subject: string;
  body: string;
}

/** Delivers a notification on its channel; resolves once the channel accepted it. */
export interface NotificationSender {
  send(notification: OutgoingNotification): Promise<void>;
}
