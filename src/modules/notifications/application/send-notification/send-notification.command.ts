import { Command } from '@nestjs/cqrs';
import { OrderNotice } from '../../domain/notification';

/** Tell the customer about their order, once per order and kind of notice. */
export class SendNotificationCommand extends Command<void> {
  constructor(readonly notice: OrderNotice) {
    super();
  }
}
