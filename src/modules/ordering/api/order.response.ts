import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ORDER_STATUSES, OrderStatus } from '../domain/order';

const STATUS_DESCRIPTION =
  'PENDING until the saga decides: CONFIRMED (stock reserved, payment authorized), REJECTED (neither) or ROLLED_BACK ' +
  '(one side said no, the other was given back). A CONFIRMED order then becomes COMPLETED once its payment is captured and ' +
  'its stock committed, or CANCELLED when the capture fails for good (stock returned, authorization released, nothing charged).';

/** Letters spelled out rather than `\w`: the OpenAPI document carries the same pattern to other validators. */
const CUSTOMER_ID_PATTERN = '^[A-Za-z0-9_.@:-]{1,100}$';
const CUSTOMER_ID_MESSAGE = 'customerId must be 1-100 letters, digits or ._@:-';

export class MoneyResponse {
  @ApiProperty({ type: 'integer', description: 'Integer minor units', example: 3998 }) amount!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

export class OrderItemResponse {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ type: 'integer', example: 2 }) quantity!: number;
  @ApiProperty({ type: MoneyResponse, description: 'Catalog price when the order was placed' }) unitPrice!: MoneyResponse;
}

export class OrderAcceptedResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['PENDING'] }) status!: 'PENDING';
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ORDER_STATUSES, description: STATUS_DESCRIPTION }) status!: OrderStatus;
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
  @ApiProperty({ type: 'integer', example: 1 }) version!: number;
  @ApiProperty({ example: 'OrderPlaced' }) type!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: object;
}

export class ListOrdersRequest {
  @ApiProperty({ required: false, example: 'cus_42', pattern: CUSTOMER_ID_PATTERN })
  @IsOptional()
  @IsString()
  @Matches(new RegExp(CUSTOMER_ID_PATTERN), { message: CUSTOMER_ID_MESSAGE })
  customerId?: string;

  @ApiProperty({ required: false, enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: 100, default: 20 })
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

const ORDER_ID = '0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f';
const LINE = { productId: '0190a000-0000-7000-8000-000000000001', quantity: 2, unitPrice: { amount: 1999, currency: 'EUR' } };

export const ORDER_ACCEPTED_EXAMPLE: OrderAcceptedResponse = { id: ORDER_ID, status: 'PENDING' };

export const ORDER_EXAMPLE: OrderResponse = {
  id: ORDER_ID,
  status: 'COMPLETED',
  customerId: 'cus_42',
  items: [LINE],
  total: { amount: 3998, currency: 'EUR' },
  reasons: [],
  createdAt: '2026-01-15T09:30:00.000Z',
  updatedAt: '2026-01-15T09:30:00.689Z',
};

export const ORDER_PAGE_EXAMPLE: OrderPageResponse = {
  items: [ORDER_EXAMPLE],
  nextCursor: 'eyJjIjoiMjAyNi0wMS0xNVQwOTozMDowMC4wMDBaIiwiaSI6IjAxOTBhM2YyIn0',
};

export const ORDER_EVENTS_EXAMPLE: OrderEventResponse[] = [
  {
    version: 1,
    type: 'OrderPlaced',
    occurredAt: '2026-01-15T09:30:00.000Z',
    data: { customerId: 'cus_42', lines: [LINE], total: { amount: 3998, currency: 'EUR' }, paymentMethod: 'card' },
  },
  { version: 2, type: 'StockReserved', occurredAt: '2026-01-15T09:30:00.210Z', data: {} },
  {
    version: 3,
    type: 'PaymentAuthorized',
    occurredAt: '2026-01-15T09:30:00.305Z',
    data: { paymentId: '0190a3f2-3b1a-7e43-8a61-2b3c4d5e6f70' },
  },
  { version: 4, type: 'OrderConfirmed', occurredAt: '2026-01-15T09:30:00.412Z', data: {} },
  { version: 5, type: 'StockCommitted', occurredAt: '2026-01-15T09:30:00.590Z', data: {} },
  { version: 6, type: 'PaymentCaptured', occurredAt: '2026-01-15T09:30:00.689Z', data: {} },
  { version: 7, type: 'OrderCompleted', occurredAt: '2026-01-15T09:30:00.689Z', data: {} },
];
