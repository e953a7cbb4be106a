import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ProductCreatedV1 } from '../../../../../libs/contracts/catalog';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { IndexProductCommand } from '../index-product/index-product.command';

/** Catalog consumes its own events to feed its search read model asynchronously. */
@Injectable()
@InboundHandler({ consumer: 'catalog', message: ProductCreatedV1 })
export class OnProductCreatedHandler implements MessageHandler<ProductCreatedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: ProductCreatedV1): Promise<void> {
    await this.commandBus.execute(new IndexProductCommand(payload.productId));
  }
}
