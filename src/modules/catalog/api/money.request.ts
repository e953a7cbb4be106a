import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { PRODUCT_RULES } from '../domain/product';

export class MoneyRequest {
  @ApiProperty({ type: 'integer', example: 1999, minimum: 0, maximum: PRODUCT_RULES.price.maxAmount, description: 'Integer minor units' })
  @IsInt()
  @Min(0)
  @Max(PRODUCT_RULES.price.maxAmount)
  amount!: number;

  @ApiProperty({ example: 'EUR', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })
  @IsString()
  @Matches(PRODUCT_RULES.price.currency, { message: 'must be an ISO 4217 code of three capital letters' })
  currency!: string;
}
