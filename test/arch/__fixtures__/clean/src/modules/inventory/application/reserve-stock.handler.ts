import { Injectable } from '@nestjs/common';
import { StockReservedV1 } from '../../../../libs/contracts/inventory/stock-reserved.v1';
import { Publisher } from '../../../../libs/messaging/publisher';
import { reserve } from '../domain/stock';
import { StockRepository } from '../infrastructure/stock.repository';

@Injectable()
export class ReserveStockHandler {
  constructor(
    private readonly stock: StockRepository,
    private readonly publisher: Publisher,
  ) {}

  async execute(productId: string, quantity: number): Promise<void> {
    const onHand = reserve(await this.stock.onHand(productId), quantity);
    await this.stock.save(productId, onHand);
    this.publisher.publish(new StockReservedV1({ productId, quantity }));
  }
}
