import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
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
@CommandHandler(SendNotificationCommand)
export class SendNotificationHandler implements ICommandHandler<SendNotificationCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly notifications: NotificationRepository,
    @Inject(NOTIFICATION_SENDER) private readonly sender: NotificationSender,
  ) {}

  async execute({ notice }: SendNotificationCommand): Promise<void> {
    const { template, subject, body } = renderNotice(notice);
    const notification = {
      id: newId(),
      orderId: notice.orderId,
      customerId: notice.customerId,
      channel: 'email' as const,
      template,
      recipient: null,
      subject,
      body,
    };
    await this.unitOfWork.run(async (tx) => {
      if (!(await this.notifications.claim(tx.manager, { ...notification, status: 'PENDING' }))) return;
      await this.sender.send({ notificationId: notification.id, ...notification });
      await this.notifications.setStatus(tx.manager, notification.id, 'SENT');
    });
  }
}
