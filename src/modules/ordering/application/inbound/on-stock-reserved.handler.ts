import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { StockReservedV1 } from '../../../../../libs/contracts/inventory';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { RecordParticipantReplyCommand } from '../place-order-saga/saga.commands';

@Injectable()
@InboundHandler({ consumer: 'ordering', message: StockReservedV1 })
export class OnStockReservedHandler implements MessageHandler<StockReservedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: StockReservedV1): Promise<void> {
    await this.commandBus.execute(new RecordParticipantReplyCommand(payload.orderId, { participant: 'inventory', accepted: true }));
  }
}
