import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
import { ProductPriceRepository } from '../../infrastructure/product-price.repository';
import { RecordProductPriceCommand } from './record-product-price.command';

@CommandHandler(RecordProductPriceCommand)
export class RecordProductPriceHandler implements ICommandHandler<RecordProductPriceCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly prices: ProductPriceRepository,
  ) {}

  async execute({ snapshot }: RecordProductPriceCommand): Promise<void> {
    await this.uow.run((tx) => this.prices.upsert(tx.manager, snapshot));
  }
}
