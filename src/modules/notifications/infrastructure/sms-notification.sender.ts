import { NotificationSender, OutgoingNotification, SendOutcome } from '../application/ports/notification-sender';
import { MessagingProviderClient } from './messaging-provider.client';

/** A text message to the customer's phone number through the SMS provider. */
export class SmsNotificationSender implements NotificationSender {
  constructor(private readonly provider: MessagingProviderClient) {}

  async send({ deliveryKey, recipient, body }: OutgoingNotification): Promise<SendOutcome> {
    await this.provider.post('sms/v1/messages', deliveryKey, { to: recipient, body });
    return { sent: true };
  }
}
