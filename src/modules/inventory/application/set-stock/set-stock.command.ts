import { Command } from '@nestjs/cqrs';
import { StockLevel } from '../../domain/stock-level';

/** Record a stock count: the product now has `onHand` units in the warehouse. */
export class SetStockCommand extends Command<StockLevel> {
  constructor(
    readonly productId: string,
    readonly onHand: number,
  ) {
    super();
  }
}
