import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { StockReservationRejectedV1 } from '../../../../../libs/contracts/inventory';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { RecordParticipantReplyCommand } from '../place-order-saga/saga.commands';

@Injectable()
@InboundHandler({ consumer: 'ordering', message: StockReservationRejectedV1 })
export class OnStockReservationRejectedHandler implements MessageHandler<StockReservationRejectedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: StockReservationRejectedV1): Promise<void> {
    await this.commandBus.execute(new RecordParticipantReplyCommand(payload.orderId, { participant: 'inventory', accepted: false, reason: payload.reason }));
  }
}
