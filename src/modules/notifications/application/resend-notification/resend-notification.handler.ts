import { ConflictException, NotFoundException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from 'typeorm';
import { UnitOfWork } from '../../../../../libs/messaging';
import { Notification } from '../../domain/notification';
import { recipientOn, UNKNOWN_CUSTOMER } from '../../domain/preferences';
import { ContactRepository } from '../../infrastructure/contact.repository';
import { NotificationRepository } from '../../infrastructure/notification.repository';
import { NotificationDelivery } from '../deliver-notifications/notification-delivery';
import { ResendNotificationCommand, ResendResult } from './resend-notification.command';

type StoredNotification = Omit<Notification, 'nextAttemptAt' | 'sentAt' | 'createdAt'> & {
  nextAttemptAt: string | null;
  sentAt: string | null;
  createdAt: string;
};

const revive = (stored: StoredNotification): Notification => ({
  ...stored,
  nextAttemptAt: stored.nextAttemptAt === null ? null : new Date(stored.nextAttemptAt),
  sentAt: stored.sentAt === null ? null : new Date(stored.sentAt),
  createdAt: new Date(stored.createdAt),
});

/**
 * Queues the notification again for the delivery worker, as a new delivery with its attempts counted afresh, and
 * keeps the answer under the Idempotency-Key. The notification's row is locked first, so two
 * requests with one key take turns and the second finds the first's answer: one more send.
 */
@CommandHandler(ResendNotificationCommand)
export class ResendNotificationHandler implements ICommandHandler<ResendNotificationCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly notifications: NotificationRepository,
    private readonly contacts: ContactRepository,
    private readonly delivery: NotificationDelivery,
  ) {}

  execute({ notificationId, idempotencyKey, requestedBy }: ResendNotificationCommand): Promise<ResendResult> {
    return this.unitOfWork.run(async (tx) => {
      const current = await this.notifications.lock(tx.manager, notificationId);
      if (!current) throw new NotFoundException(`notification ${notificationId} does not exist`);
      const answered = await this.notifications.resendAnswer<StoredNotification>(tx.manager, notificationId, idempotencyKey);
      if (answered) return { notification: revive(answered), replayed: true };
      const notification = current.status === 'PENDING' ? current : await this.requeue(tx.manager, current);
      await this.notifications.recordResend(tx.manager, notificationId, idempotencyKey, requestedBy, notification);
      tx.afterCommit(() => this.delivery.kick());
      return { notification, replayed: false };
    });
  }

  /**
   * A PENDING notification is not queued again: its send is coming, perhaps under way. Nor is one
   * on a channel the customer has turned off since: staff do not override their choice.
   */
  private async requeue(manager: EntityManager, current: Notification): Promise<Notification> {
    const contact = (await this.contacts.contactsOf(manager, [current.customerId])).get(current.customerId) ?? UNKNOWN_CUSTOMER;
    if (!contact.preferences.channels[current.channel]) {
      throw new ConflictException(`customer ${current.customerId} has turned ${current.channel} notifications off`);
    }
    const recipient = recipientOn(current.channel, contact) ?? current.recipient;
    if (recipient === null) throw new ConflictException(`no ${current.channel} address is known for customer ${current.customerId}`);
    return this.notifications.requeue(manager, current.id, recipient);
  }
}
