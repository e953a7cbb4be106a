import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CapturePaymentV1 } from '../../../../../libs/contracts/payments';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { CapturePaymentCommand } from '../capture-payment/capture-payment.command';

@Injectable()
@InboundHandler({ consumer: 'payments', message: CapturePaymentV1 })
export class OnCapturePaymentHandler implements MessageHandler<CapturePaymentV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: CapturePaymentV1): Promise<void> {
    await this.commandBus.execute(new CapturePaymentCommand(payload.orderId));
  }
}
