import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ReserveStockV1 } from '../../../../../libs/contracts/inventory';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { ReserveStockCommand } from '../reserve-stock/reserve-stock.command';

@Injectable()
@InboundHandler({ consumer: 'inventory', message: ReserveStockV1 })
export class OnReserveStockHandler implements MessageHandler<ReserveStockV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: ReserveStockV1): Promise<void> {
    await this.commandBus.execute(new ReserveStockCommand(payload.orderId, payload.lines));
  }
}
