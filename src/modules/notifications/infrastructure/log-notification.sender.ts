import { Injectable, Logger } from '@nestjs/common';
import { NotificationSender, OutgoingNotification, SendOutcome } from '../application/ports/notification-sender';

/** Why a rendered e-mail was kept and not sent: no mail server is configured. */
export const NO_SMTP_URL = 'no SMTP_URL';

/** The channel without SMTP_URL: a log line per notification, which is kept NOT_SENT, so `npm start` needs no mail server. */
@Injectable()
export class LogNotificationSender implements NotificationSender {
  private readonly logger = new Logger('NotificationSender');

  send({ notificationId, template, customerId }: OutgoingNotification): Promise<SendOutcome> {
    this.logger.log({ msg: `notification not sent: ${NO_SMTP_URL}`, notificationId, template, customerId });
    return Promise.resolve({ sent: false, reason: NO_SMTP_URL });
  }
}
