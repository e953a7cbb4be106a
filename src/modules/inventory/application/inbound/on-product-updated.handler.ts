import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ProductUpdatedV1 } from '../../../../../libs/contracts/catalog';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { RecordProductCommand } from '../record-product/record-product.command';

/** A product created before inventory kept its record of products becomes known at its next edit. */
@Injectable()
@InboundHandler({ consumer: 'inventory', message: ProductUpdatedV1 })
export class OnProductUpdatedHandler implements MessageHandler<ProductUpdatedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: ProductUpdatedV1): Promise<void> {
    await this.commandBus.execute(new RecordProductCommand(payload.productId));
  }
}
