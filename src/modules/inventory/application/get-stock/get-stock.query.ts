import { Query } from '@nestjs/cqrs';
import { StockLevel } from '../../domain/stock-level';

/** The product's stock, or undefined when it was never stocked. */
export class GetStockQuery extends Query<StockLevel | undefined> {
  constructor(readonly productId: string) {
    super();
  }
}
