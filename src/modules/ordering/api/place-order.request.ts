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
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class OrderItemRequest {
  @ApiProperty({ format: 'uuid', example: '0190a000-0000-7000-8000-000000000001' })
  @IsUUID()
  productId!: string;

  @ApiProperty({ minimum: 1, maximum: 1000, example: 2 })
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
    description:
      'Provider token. Simulated provider: tok_visa approves, tok_chargeDeclined declines, ' +
      'tok_processingError fails (retried), tok_timeout never answers.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;
}

export class PlaceOrderRequest {
  @ApiProperty({ example: 'cus_42', maxLength: 100 })
  @IsString()
  @Matches(/^[\w.@:-]{1,100}$/, { message: 'customerId must be 1-100 letters, digits or ._@:-' })
  customerId!: string;

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
