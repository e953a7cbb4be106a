import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ProductCreatedV1 } from '../../../../../libs/contracts/catalog';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { RecordProductCommand } from '../record-product/record-product.command';

@Injectable()
@InboundHandler({ consumer: 'inventory', message: ProductCreatedV1 })
export class OnProductCreatedHandler implements MessageHandler<ProductCreatedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: ProductCreatedV1): Promise<void> {
    await this.commandBus.execute(new RecordProductCommand(payload.productId));
  }
}
