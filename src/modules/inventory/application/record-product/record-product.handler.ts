import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
import { ProductRepository } from '../../infrastructure/product.repository';
import { RecordProductCommand } from './record-product.command';

@CommandHandler(RecordProductCommand)
export class RecordProductHandler implements ICommandHandler<RecordProductCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductRepository,
  ) {}

  async execute({ productId }: RecordProductCommand): Promise<void> {
    await this.unitOfWork.run((tx) => this.products.record(tx.manager, [productId]));
  }
}
