import { NotificationSender, OutgoingNotification, SendFailedError, SendOutcome } from '../application/ports/notification-sender';
import { devicesOf } from '../domain/preferences';
import { MessagingProviderClient } from './messaging-provider.client';

/**
 * A push to each of the customer's devices through the push provider, all at once. Each device
 * has its own idempotency key within the delivery, so a retry after some devices failed reaches
 * only those again: the others' calls are answered from the provider's memory. The notification
 * is sent once one device has it and none is still worth retrying; it failed for good when every
 * device refused it (uninstalled apps).
 */
export class PushNotificationSender implements NotificationSender {
  constructor(private readonly provider: MessagingProviderClient) {}

  async send({ deliveryKey, recipient, subject, body, orderId, template }: OutgoingNotification): Promise<SendOutcome> {
    const results = await Promise.allSettled(
      devicesOf(recipient).map((token, device) =>
        // The device's place in the recipient, fixed for the delivery: tokens are too long for a key.
        this.provider.post('push/v1/send', `${deliveryKey}/${device}`, { token, title: subject, body, data: { orderId, notice: template } }),
      ),
    );
    // The client fails only with SendFailedErrors.
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as SendFailedError] : []));
    if (failures.length === 0) return { sent: true };
    const transient = failures.find((failure) => !failure.permanent);
    if (transient !== undefined) throw transient;
    if (failures.length < results.length) return { sent: true };
    throw failures[0];
  }
}
