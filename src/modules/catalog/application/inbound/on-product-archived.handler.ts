import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ProductArchivedV1 } from '../../../../../libs/contracts/catalog';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { IndexProductCommand } from '../index-product/index-product.command';

/** The indexer reads the archived status from the write model and drops the product from search. */
@Injectable()
@InboundHandler({ consumer: 'catalog', message: ProductArchivedV1 })
export class OnProductArchivedHandler implements MessageHandler<ProductArchivedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: ProductArchivedV1): Promise<void> {
    await this.commandBus.execute(new IndexProductCommand(payload.productId));
  }
}
