import { Inject, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BatchCommandHandler, UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { NO_RECIPIENT, OrderNotice } from '../../domain/notification';
import { OrderCustomerUnknownError } from '../../domain/notification.errors';
import { chosenChannels, CustomerContact, recipientOn, UNKNOWN_CUSTOMER } from '../../domain/preferences';
import { noticeView } from '../../domain/render-notice';
import { ContactRepository } from '../../infrastructure/contact.repository';
import { NewNotification, NotificationRepository } from '../../infrastructure/notification.repository';
import { OrderCustomerRepository } from '../../infrastructure/order-customer.repository';
import { ProductNameRepository } from '../../infrastructure/product-name.repository';
import { noticeRenderer } from '../../infrastructure/templates';
import { NotificationDelivery } from '../deliver-notifications/notification-delivery';
import { NOTIFICATION_SENDERS, type NotificationSenders } from '../ports/notification-sender';
import { SendNotificationCommand } from './send-notification.command';

/**
 * Records one notification per channel the customer chose, in the inbound message's
 * transaction, queued for the delivery worker, which sends them after the commit: no
 * transaction waits for a mail server or a provider. A row is claimed by (order, template,
 * channel, and for a refund the refund's id), so a redelivered event records nothing more. Where
 * the customer has no address on a channel, or the channel has no server or provider, nothing is
 * sent there: the notification is recorded NOT_SENT, with the reason, and never queued. The
 * customer of each order its events name is kept, for the refund's event, which does not; an
 * order's lines are shown with the names catalog announced.
 */
@BatchCommandHandler(SendNotificationCommand)
export class SendNotificationHandler implements BatchCommandHandler<SendNotificationCommand> {
  private readonly logger = new Logger(SendNotificationHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly notifications: NotificationRepository,
    private readonly contacts: ContactRepository,
    private readonly orderCustomers: OrderCustomerRepository,
    private readonly productNames: ProductNameRepository,
    private readonly delivery: NotificationDelivery,
    @Inject(NOTIFICATION_SENDERS) private readonly senders: NotificationSenders,
  ) {}

  execute(command: SendNotificationCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  /** A batch is recorded with one insert. */
  async executeBatch(commands: readonly SendNotificationCommand[]): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const notices = await this.withCustomers(tx.manager, commands.map(({ notice }) => notice));
      const contacts = await this.contacts.contactsOf(tx.manager, notices.map(({ customerId }) => customerId));
      const productNames = await this.productNames.namesOf(
        tx.manager,
        notices.flatMap(({ notice }) => (notice.kind === 'order-confirmed' ? (notice.lines ?? []).map((line) => line.productId) : [])),
      );
      const notifications = notices.flatMap(({ notice, customerId }) => {
        const contact: CustomerContact = contacts.get(customerId) ?? UNKNOWN_CUSTOMER;
        const view = noticeView(notice, productNames);
        return chosenChannels(contact.preferences).map((channel): NewNotification => {
          const recipient = recipientOn(channel, contact);
          const unsent = recipient === null ? NO_RECIPIENT[channel] : this.senders[channel].unavailable;
          return {
            id: newId(),
            orderId: notice.orderId,
            customerId,
            noticeKey: notice.kind === 'payment-refunded' ? notice.refundId : '',
            channel,
            ...noticeRenderer.render(view, channel),
            recipient,
            status: unsent === undefined ? 'PENDING' : 'NOT_SENT',
            statusReason: unsent ?? null,
          };
        });
      });
      if (notifications.length === 0) return;
      const claimed = await this.notifications.claimMany(tx.manager, notifications);
      const recorded = notifications.filter(({ id }) => claimed.has(id));
      if (recorded.some(({ status }) => status === 'PENDING')) tx.afterCommit(() => this.delivery.kick());
      // With an address but no server or provider on the channel.
      const unsendable = recorded.filter(({ recipient, status }) => recipient !== null && status === 'NOT_SENT');
      if (unsendable.length > 0) {
        const reasons = [...new Set(unsendable.map(({ statusReason }) => statusReason))].join(', ');
        tx.afterCommit(() => this.logger.log(`${unsendable.length} notifications recorded and not sent: ${reasons}`));
      }
    });
  }

  /**
   * Each notice with its customer: the one it names, kept for the order, or for a notice that
   * names none (a refund's), the one kept for its order, this batch's included. Throws
   * OrderCustomerUnknownError for an order none was kept for.
   */
  private async withCustomers(manager: EntityManager, notices: readonly OrderNotice[]): Promise<{ notice: OrderNotice; customerId: string }[]> {
    const named = notices.flatMap((notice) => ('customerId' in notice ? [{ orderId: notice.orderId, customerId: notice.customerId }] : []));
    await this.orderCustomers.saveMany(manager, named);
    const kept = await this.orderCustomers.customersOf(
      manager,
      notices.filter((notice) => !('customerId' in notice)).map((notice) => notice.orderId),
    );
    return notices.map((notice) => {
      const customerId = 'customerId' in notice ? notice.customerId : kept.get(notice.orderId);
      if (customerId === undefined) throw new OrderCustomerUnknownError(notice.orderId, notice.kind);
      return { notice, customerId };
    });
  }
}
