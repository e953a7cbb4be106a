import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ProductArchivedV1 } from '../../../../../libs/contracts/catalog';
import { InboundHandler, MessageHandler } from '../../../../../libs/messaging';
import { RecordProductArchivedCommand } from '../product-price/record-product-archived.command';

@Injectable()
@InboundHandler({ consumer: 'ordering', message: ProductArchivedV1 })
export class OnProductArchivedHandler implements MessageHandler<ProductArchivedV1> {
  constructor(private readonly commandBus: CommandBus) {}

  async handle({ payload }: ProductArchivedV1): Promise<void> {
    await this.commandBus.execute(new RecordProductArchivedCommand(payload.productId, payload.version));
  }
}
