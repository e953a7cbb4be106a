import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { OrderConfirmedV1 } from '../../../../../libs/contracts/ordering';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { SendNotificationCommand } from '../send-notification/send-notification.command';

@Injectable()
@InboundHandler({ consumer: 'notifications', message: OrderConfirmedV1 })
export class OnOrderConfirmedHandler implements MessageHandler<OrderConfirmedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: OrderConfirmedV1): Promise<void> {
    const { orderId, customerId, total } = payload;
    await this.commandBus.execute(new SendNotificationCommand({ kind: 'order-confirmed', orderId, customerId, total }));
  }
}
