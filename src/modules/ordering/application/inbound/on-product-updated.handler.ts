import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ProductUpdatedV1 } from '../../../../../libs/contracts/catalog';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { RecordProductPriceCommand } from '../product-price/record-product-price.command';

@Injectable()
@InboundHandler({ consumer: 'ordering', message: ProductUpdatedV1 })
export class OnProductUpdatedHandler implements MessageHandler<ProductUpdatedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: ProductUpdatedV1): Promise<void> {
    await this.commandBus.execute(new RecordProductPriceCommand(payload));
  }
}
