import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { StockLevel } from '../../domain/stock-level';
import { StockRepository } from '../../infrastructure/stock.repository';
import { GetStockQuery } from './get-stock.query';

@QueryHandler(GetStockQuery)
export class GetStockHandler implements IQueryHandler<GetStockQuery> {
  constructor(private readonly stock: StockRepository) {}

  execute({ productId }: GetStockQuery): Promise<StockLevel | undefined> {
    return this.stock.find(productId);
  }
}
