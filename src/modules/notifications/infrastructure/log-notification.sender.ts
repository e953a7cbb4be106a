import { Injectable, Logger } from '@nestjs/common';
import { NotificationSender, OutgoingNotification } from '../application/ports/notification-sender';

/** The default channel adapter: one structured log line per notification, no external service. */
@Injectable()
export class LogNotificationSender implements NotificationSender {
  private readonly logger = new Logger('NotificationSender');

  send(notification: OutgoingNotification): Promise<void> {
    this.logger.log({ msg: 'notification sent', ...notification });
    return Promise.resolve();
  }
}
