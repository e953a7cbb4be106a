import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AuthorizePaymentV1 } from '../../../../../libs/contracts/payments';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { AuthorizePaymentCommand } from '../authorize-payment/authorize-payment.command';

@Injectable()
@InboundHandler({ consumer: 'payments', message: AuthorizePaymentV1 })
export class OnAuthorizePaymentHandler implements MessageHandler<AuthorizePaymentV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: AuthorizePaymentV1): Promise<void> {
    await this.commandBus.execute(
      new AuthorizePaymentCommand(payload.orderId, payload.amount, payload.method, payload.token),
    );
  }
}
