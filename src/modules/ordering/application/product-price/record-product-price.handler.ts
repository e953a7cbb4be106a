import { BatchCommandHandler, UnitOfWork } from '../../../../../libs/messaging';
import { ProductPriceRepository } from '../../infrastructure/product-price.repository';
import { RecordProductPriceCommand } from './record-product-price.command';

/** Keeps ordering's price replica current: a batch of catalog events is one upsert. */
@BatchCommandHandler(RecordProductPriceCommand)
export class RecordProductPriceHandler implements BatchCommandHandler<RecordProductPriceCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly prices: ProductPriceRepository,
  ) {}

  execute(command: RecordProductPriceCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  async executeBatch(commands: readonly RecordProductPriceCommand[]): Promise<void> {
    await this.uow.run((tx) => this.prices.upsertMany(tx.manager, commands.map(({ snapshot }) => snapshot)));
  }
}
