import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { OrderRejectedV1 } from '../../../../../libs/contracts/ordering';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { SendNotificationCommand } from '../send-notification/send-notification.command';

@Injectable()
@InboundHandler({ consumer: 'notifications', message: OrderRejectedV1 })
export class OnOrderRejectedHandler implements MessageHandler<OrderRejectedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: OrderRejectedV1): Promise<void> {
    const { orderId, customerId, reasons } = payload;
    await this.commandBus.execute(new SendNotificationCommand({ kind: 'order-rejected', orderId, customerId, reasons }));
  }
}
