import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsUuid } from '../../../../libs/http';

export class OrderItemRequest {
  @IsUuid()
  productId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000, example: 2 })
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity!: number;
}

export class PaymentRequest {
  @ApiProperty({ enum: ['card', 'paypal', 'crypto'], example: 'card' })
  @IsIn(['card', 'paypal', 'crypto'])
  method!: 'card' | 'paypal' | 'crypto';

  @ApiProperty({
    example: 'tok_visa',
    minLength: 1,
    maxLength: 200,
    description:
      'Provider token. Simulated provider: tok_visa approves, tok_chargeDeclined declines, ' +
      'tok_processingError fails (retried), tok_timeout never answers. Crypto paid by on-chain transfer (CRYPTO_RECEIVING_XPUB set): ' +
      '`eip155:<chain id>` names the chain to pay on; any other token pays on the default chain.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;
}

/** The customer is the caller: a `customerId` in the body is refused like any unknown property. */
export class PlaceOrderRequest {
  @ApiProperty({ type: [OrderItemRequest], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderItemRequest)
  items!: OrderItemRequest[];

  @ApiProperty({ type: PaymentRequest })
  @ValidateNested()
  @IsNotEmpty()
  @Type(() => PaymentRequest)
  payment!: PaymentRequest;
}
