import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const STATUSES = ['PENDING', 'CONFIRMED', 'REJECTED', 'ROLLED_BACK'] as const;

export class MoneyResponse {
  @ApiProperty({ description: 'Integer minor units', example: 3998 }) amount!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

export class OrderItemResponse {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ type: MoneyResponse, description: 'Catalog price when the order was placed' }) unitPrice!: MoneyResponse;
}

export class OrderAcceptedResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['PENDING'] }) status!: 'PENDING';
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: STATUSES }) status!: (typeof STATUSES)[number];
  @ApiProperty() customerId!: string;
  @ApiProperty({ type: [OrderItemResponse] }) items!: OrderItemResponse[];
  @ApiProperty({ type: MoneyResponse }) total!: MoneyResponse;
  @ApiProperty({ type: [String], example: ['inventory: INSUFFICIENT_STOCK'] }) reasons!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class OrderPageResponse {
  @ApiProperty({ type: [OrderResponse] }) items!: OrderResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page' })
  nextCursor!: string | null;
}

export class OrderEventResponse {
  @ApiProperty() version!: number;
  @ApiProperty({ example: 'OrderPlaced' }) type!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: object;
}

export class ListOrdersRequest {
  @ApiProperty({ required: false, example: 'cus_42' })
  @IsOptional()
  @IsString()
  @Matches(/^[\w.@:-]{1,100}$/)
  customerId?: string;

  @ApiProperty({ required: false, enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];

  @ApiProperty({ required: false, minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiProperty({ required: false, description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}
