import { BatchCommandHandler, UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { NO_ADDRESS } from '../../domain/notification';
import { noticeView } from '../../domain/render-notice';
import { ContactRepository } from '../../infrastructure/contact.repository';
import { NewNotification, NotificationRepository } from '../../infrastructure/notification.repository';
import { emailRenderer } from '../../infrastructure/templates';
import { NotificationDelivery } from '../deliver-notifications/notification-delivery';
import { SendNotificationCommand } from './send-notification.command';

/**
 * Records the notification in the inbound message's transaction, queued for the delivery
 * worker, which sends it after the commit: no transaction waits for a mail server. The row is
 * claimed by (order, template), so a redelivered event records nothing more. A customer whose
 * address is not known is not written to: the notification is kept NOT_SENT, with the reason.
 */
@BatchCommandHandler(SendNotificationCommand)
export class SendNotificationHandler implements BatchCommandHandler<SendNotificationCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly notifications: NotificationRepository,
    private readonly contacts: ContactRepository,
    private readonly delivery: NotificationDelivery,
  ) {}

  execute(command: SendNotificationCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  /** A batch is recorded with one insert. */
  async executeBatch(commands: readonly SendNotificationCommand[]): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const emails = await this.contacts.emailsOf(tx.manager, commands.map(({ notice }) => notice.customerId));
      const notifications = commands.map(({ notice }): NewNotification => {
        const { template, subject, body, html } = emailRenderer.render(noticeView(notice));
        const recipient = emails.get(notice.customerId) ?? null;
        return {
          id: newId(),
          orderId: notice.orderId,
          customerId: notice.customerId,
          channel: 'email',
          template,
          recipient,
          subject,
          body,
          html,
          status: recipient === null ? 'NOT_SENT' : 'PENDING',
          statusReason: recipient === null ? NO_ADDRESS : null,
        };
      });
      const recorded = await this.notifications.claimMany(tx.manager, notifications);
      if (notifications.some((notification) => recorded.has(notification.id) && notification.status === 'PENDING')) {
        tx.afterCommit(() => this.delivery.kick());
      }
    });
  }
}
