import { Inject } from '@nestjs/common';
import { BatchCommandHandler, UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { NO_ADDRESS } from '../../domain/notification';
import { renderNotice } from '../../domain/render-notice';
import { ContactRepository } from '../../infrastructure/contact.repository';
import { NotificationRepository } from '../../infrastructure/notification.repository';
import { NOTIFICATION_SENDER, type NotificationSender } from '../ports/notification-sender';
import { SendNotificationCommand } from './send-notification.command';

/**
 * Records and sends in one transaction: the row is claimed first (so a concurrent duplicate
 * waits and then skips), and a sender that fails rolls the row back, so the inbound message is
 * retried and the customer is eventually told. A customer whose address is not known is not
 * written to: the notification is kept NOT_SENT, with the reason. A crash after sending but before commit means
 * the notice may be sent twice, never zero times.
 */
@BatchCommandHandler(SendNotificationCommand)
export class SendNotificationHandler implements BatchCommandHandler<SendNotificationCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly notifications: NotificationRepository,
    private readonly contacts: ContactRepository,
    @Inject(NOTIFICATION_SENDER) private readonly sender: NotificationSender,
  ) {}

  execute(command: SendNotificationCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  /** A batch claims its rows with one insert and marks the sent ones with one update. */
  async executeBatch(commands: readonly SendNotificationCommand[]): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const emails = await this.contacts.emailsOf(tx.manager, commands.map(({ notice }) => notice.customerId));
      const notifications = commands.map(({ notice }) => {
        const { template, subject, body } = renderNotice(notice);
        const recipient = emails.get(notice.customerId) ?? null;
        return {
          id: newId(),
          orderId: notice.orderId,
          customerId: notice.customerId,
          channel: 'email' as const,
          template,
          recipient,
          subject,
          body,
          status: recipient === null ? ('NOT_SENT' as const) : ('PENDING' as const),
          statusReason: recipient === null ? NO_ADDRESS : null,
        };
      });
      const claimed = await this.notifications.claimMany(tx.manager, notifications);
      const toSend = notifications.filter((notification) => claimed.has(notification.id) && notification.recipient !== null);
      for (const { id, channel, customerId, recipient, template, subject, body } of toSend) {
        await this.sender.send({ notificationId: id, channel, customerId, recipient, template, subject, body });
      }
      await this.notifications.setStatusMany(tx.manager, toSend.map((notification) => notification.id), 'SENT');
    });
  }
}
