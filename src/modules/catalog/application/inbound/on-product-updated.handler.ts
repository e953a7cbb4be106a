import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ProductUpdatedV1 } from '../../../../../libs/contracts/catalog';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { IndexProductCommand } from '../index-product/index-product.command';

/** A change re-indexes the product from the write model. */
@Injectable()
@InboundHandler({ consumer: 'catalog', message: ProductUpdatedV1 })
export class OnProductUpdatedHandler implements MessageHandler<ProductUpdatedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: ProductUpdatedV1): Promise<void> {
    await this.commandBus.execute(new IndexProductCommand(payload.productId));
  }
}
