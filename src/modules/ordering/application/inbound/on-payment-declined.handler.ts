import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { PaymentDeclinedV1 } from '../../../../../libs/contracts/payments';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { RecordParticipantReplyCommand } from '../place-order-saga/saga.commands';

@Injectable()
@InboundHandler({ consumer: 'ordering', message: PaymentDeclinedV1 })
export class OnPaymentDeclinedHandler implements MessageHandler<PaymentDeclinedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: PaymentDeclinedV1): Promise<void> {
    await this.commandBus.execute(new RecordParticipantReplyCommand(payload.orderId, { participant: 'payment', accepted: false, reason: payload.reason }));
  }
}
