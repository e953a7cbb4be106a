import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_ON_HAND } from '../domain/stock-level';

export class SetStockRequest {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_ON_HAND, example: 100, description: 'Units physically in stock' })
  @IsInt()
  @Min(0)
  @Max(MAX_ON_HAND)
  onHand!: number;
}
