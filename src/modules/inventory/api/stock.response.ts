import { ApiProperty } from '@nestjs/swagger';
import { availableOf, StockLevel } from '../domain/stock-level';

export class StockResponse {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ description: 'Units physically in stock' }) onHand!: number;
  @ApiProperty({ description: 'Units held for orders not yet shipped' }) reserved!: number;
  @ApiProperty({ description: 'Units that can still be reserved: onHand - reserved' }) available!: number;

  static of(level: StockLevel): StockResponse {
    return { productId: level.productId, onHand: level.onHand, reserved: level.reserved, available: availableOf(level) };
  }
}
