import { BatchCommandHandler, UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { NO_RECIPIENT } from '../../domain/notification';
import { chosenChannels, CustomerContact, recipientOn, UNKNOWN_CUSTOMER } from '../../domain/preferences';
import { noticeView } from '../../domain/render-notice';
import { ContactRepository } from '../../infrastructure/contact.repository';
import { NewNotification, NotificationRepository } from '../../infrastructure/notification.repository';
import { noticeRenderer } from '../../infrastructure/templates';
import { NotificationDelivery } from '../deliver-notifications/notification-delivery';
import { SendNotificationCommand } from './send-notification.command';

/**
 * Records one notification per channel the customer chose, in the inbound message's
 * transaction, queued for the delivery worker, which sends them after the commit: no
 * transaction waits for a mail server or a provider. A row is claimed by (order, template,
 * channel), so a redelivered event records nothing more. Where the customer has no address on
 * a channel, nothing is sent there: the notification is kept NOT_SENT, with the reason.
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
      const contacts = await this.contacts.contactsOf(tx.manager, commands.map(({ notice }) => notice.customerId));
      const notifications = commands.flatMap(({ notice }) => {
        const contact: CustomerContact = contacts.get(notice.customerId) ?? UNKNOWN_CUSTOMER;
        const view = noticeView(notice);
        return chosenChannels(contact.preferences).map((channel): NewNotification => {
          const recipient = recipientOn(channel, contact);
          return {
            id: newId(),
            orderId: notice.orderId,
            customerId: notice.customerId,
            channel,
            ...noticeRenderer.render(view, channel),
            recipient,
            status: recipient === null ? 'NOT_SENT' : 'PENDING',
            statusReason: recipient === null ? NO_RECIPIENT[channel] : null,
          };
        });
      });
      if (notifications.length === 0) return;
      const recorded = await this.notifications.claimMany(tx.manager, notifications);
      if (notifications.some((notification) => recorded.has(notification.id) && notification.status === 'PENDING')) {
        tx.afterCommit(() => this.delivery.kick());
      }
    });
  }
}
