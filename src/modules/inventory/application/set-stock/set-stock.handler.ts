import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../libs/messaging';
import { UnknownProductError } from '../../domain/inventory.errors';
import { assertOnHandCoversReserved, StockLevel } from '../../domain/stock-level';
import { ProductRepository } from '../../infrastructure/product.repository';
import { StockRepository } from '../../infrastructure/stock.repository';
import { SetStockCommand } from './set-stock.command';

@CommandHandler(SetStockCommand)
export class SetStockHandler implements ICommandHandler<SetStockCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly products: ProductRepository,
    private readonly stock: StockRepository,
  ) {}

  execute({ productId, onHand }: SetStockCommand): Promise<StockLevel> {
    return this.unitOfWork.run(async (tx) => {
      if (!(await this.products.isKnown(tx.manager, productId))) throw new UnknownProductError(productId);
      // The lock keeps reservations from growing between the check and the write.
      const current = await this.stock.lock(tx.manager, productId);
      assertOnHandCoversReserved(productId, onHand, current?.reserved ?? 0);
      return this.stock.setOnHand(tx.manager, productId, onHand);
    });
  }
}
