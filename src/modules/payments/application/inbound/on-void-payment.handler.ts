import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { VoidPaymentV1 } from '../../../../../libs/contracts/payments';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { VoidPaymentCommand } from '../void-payment/void-payment.command';

@Injectable()
@InboundHandler({ consumer: 'payments', message: VoidPaymentV1 })
export class OnVoidPaymentHandler implements MessageHandler<VoidPaymentV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: VoidPaymentV1): Promise<void> {
    await this.commandBus.execute(new VoidPaymentCommand(payload.orderId));
  }
}
