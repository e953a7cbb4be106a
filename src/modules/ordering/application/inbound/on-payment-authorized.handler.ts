import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { PaymentAuthorizedV1 } from '../../../../../libs/contracts/payments';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { RecordParticipantReplyCommand } from '../place-order-saga/saga.commands';

@Injectable()
@InboundHandler({ consumer: 'ordering', message: PaymentAuthorizedV1 })
export class OnPaymentAuthorizedHandler implements MessageHandler<PaymentAuthorizedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: PaymentAuthorizedV1): Promise<void> {
    await this.commandBus.execute(new RecordParticipantReplyCommand(payload.orderId, { participant: 'payment', accepted: true, paymentId: payload.paymentId }));
  }
}
