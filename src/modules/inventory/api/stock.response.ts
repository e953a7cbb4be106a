import { ApiProperty } from '@nestjs/swagger';
import { availableOf, StockLevel } from '../domain/stock-level';

export class StockResponse {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ type: 'integer', description: 'Units physically in stock' }) onHand!: number;
  @ApiProperty({ type: 'integer', description: 'Units held for orders not yet shipped' }) reserved!: number;
  @ApiProperty({ type: 'integer', description: 'Units that can still be reserved: onHand - reserved' }) available!: number;

  static of(level: StockLevel): StockResponse {
    return { productId: level.productId, onHand: level.onHand, reserved: level.reserved, available: availableOf(level) };
  }
}

export const STOCK_EXAMPLE: StockResponse = {
  productId: '0190a000-0000-7000-8000-000000000001',
  onHand: 100,
  reserved: 2,
  available: 98,
};
