import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_REFUND_REASON_LENGTH } from '../domain/refund';

/** The card provider's largest amount (docs/providers-simulator.md); no capture is larger. */
const MAX_AMOUNT = 99_999_999;

export class RefundPaymentRequest {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_AMOUNT,
    example: 1000,
    description: "Integer minor units of the payment's currency; at most what remains refundable",
  })
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  amount!: number;

  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_REFUND_REASON_LENGTH, example: 'Item returned damaged' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_REFUND_REASON_LENGTH)
  reason?: string;
}
