import { Inject } from '@nestjs/common';
import { BatchCommandHandler, UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { renderNotice } from '../../domain/render-notice';
import { NotificationRepository } from '../../infrastructure/notification.repository';
import { NOTIFICATION_SENDER, type NotificationSender } from '../ports/notification-sender';
import { SendNotificationCommand } from './send-notification.command';

/**
 * Records and sends in one transaction: the row is claimed first (so a concurrent duplicate
 * waits and then skips), and a sender that fails rolls the row back, so the inbound message is
 * retried and the customer is eventually told. A crash after sending but before commit means
 * the notice may be sent twice, never zero times.
 */
@BatchCommandHandler(SendNotificationCommand)
export class SendNotificationHandler implements BatchCommandHandler<SendNotificationCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly notifications: NotificationRepository,
    @Inject(NOTIFICATION_SENDER) private readonly sender: NotificationSender,
  ) {}

  execute(command: SendNotificationCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  /** A batch claims its rows with one insert and marks the sent ones with one update. */
  async executeBatch(commands: readonly SendNotificationCommand[]): Promise<void> {
    const notifications = commands.map(({ notice }) => {
      const { template, subject, body } = renderNotice(notice);
      return {
        id: newId(),
        orderId: notice.orderId,
        customerId: notice.customerId,
        channel: 'email' as const,
        template,
        recipient: null,
        subject,
        body,
      };
    });
    await this.unitOfWork.run(async (tx) => {
      const claimed = await this.notifications.claimMany(
        tx.manager,
        notifications.map((notification) => ({ ...notification, status: 'PENDING' as const })),
      );
      const toSend = notifications.filter((notification) => claimed.has(notification.id));
      for (const notification of toSend) await this.sender.send({ notificationId: notification.id, ...notification });
      await this.notifications.setStatusMany(tx.manager, toSend.map((notification) => notification.id), 'SENT');
    });
  }
}
