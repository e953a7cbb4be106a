import { Logger } from '@nestjs/common';
import { NotificationSender, OutgoingNotification, SendOutcome } from '../application/ports/notification-sender';

/** Why a rendered notification was kept and not sent: its channel has no server or provider configured. */
export const NOT_CONFIGURED = { email: 'no SMTP_URL', sms: 'no SMS_PROVIDER_URL', push: 'no PUSH_PROVIDER_URL' } as const;

/**
 * A channel without a server or provider: its notifications are kept NOT_SENT with the reason,
 * so the shop runs with nothing else installed and the history shows what would have gone out.
 * New ones are recorded so (`unavailable`); a resend reaches `send`, which logs and keeps it.
 */
export class UnconfiguredChannelSender implements NotificationSender {
  private readonly logger = new Logger('NotificationSender');

  constructor(readonly unavailable: string) {}

  send({ notificationId, channel, template, customerId }: OutgoingNotification): Promise<SendOutcome> {
    this.logger.log({ msg: `notification not sent: ${this.unavailable}`, notificationId, channel, template, customerId });
    return Promise.resolve({ sent: false, reason: this.unavailable });
  }
}
