import { Command } from '@nestjs/cqrs';
import { Notification } from '../../domain/notification';

export interface ResendResult {
  notification: Notification;
  /** True when this Idempotency-Key had resent the notification before: nothing was queued now. */
  replayed: boolean;
}

/** Send a notification again, once per Idempotency-Key, to the customer's address as known now. */
export class ResendNotificationCommand extends Command<ResendResult> {
  constructor(
    readonly notificationId: string,
    readonly idempotencyKey: string,
    readonly requestedBy: string,
  ) {
    super();
  }
}
