import { BatchCommandHandler, UnitOfWork } from '../../../../../libs/messaging';
import { ProductRepository } from '../../infrastructure/product.repository';
import { RecordProductCommand } from './record-product.command';

/** Remembers the products the catalog has: a batch of catalog events is one insert. */
@BatchCommandHandler(RecordProductCommand)
export class RecordProductHandler implements BatchCommandHandler<RecordProductCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductRepository,
  ) {}

  execute(command: RecordProductCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  async executeBatch(commands: readonly RecordProductCommand[]): Promise<void> {
    await this.unitOfWork.run((tx) => this.products.record(tx.manager, commands.map(({ productId }) => productId)));
  }
}
