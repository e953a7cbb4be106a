import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
import { ProductPriceRepository } from '../../infrastructure/product-price.repository';
import { RecordProductArchivedCommand } from './record-product-archived.command';

@CommandHandler(RecordProductArchivedCommand)
export class RecordProductArchivedHandler implements ICommandHandler<RecordProductArchivedCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly prices: ProductPriceRepository,
  ) {}

  async execute({ productId, version }: RecordProductArchivedCommand): Promise<void> {
    await this.uow.run((tx) => this.prices.archive(tx.manager, productId, version));
  }
}
