import { BatchCommandHandler, UnitOfWork } from '../../../../../libs/messaging';
import { ProductNameRepository } from '../../infrastructure/product-name.repository';
import { RecordProductNameCommand } from './record-product-name.command';

/** Keeps the product names current: a batch of catalog events is one upsert. */
@BatchCommandHandler(RecordProductNameCommand)
export class RecordProductNameHandler implements BatchCommandHandler<RecordProductNameCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly productNames: ProductNameRepository,
  ) {}

  execute(command: RecordProductNameCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  async executeBatch(commands: readonly RecordProductNameCommand[]): Promise<void> {
    await this.unitOfWork.run((tx) => this.productNames.saveMany(tx.manager, commands.map(({ product }) => product)));
  }
}
