import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ReceiptMetadata } from '../domain/receipt';

export class ReceiptMoneyResponse {
  @ApiProperty({ type: 'integer', description: 'Integer minor units', example: 5997 }) amount!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

export class ReceiptItemResponse {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ type: 'integer', example: 2 }) quantity!: number;
  @ApiProperty({ type: ReceiptMoneyResponse, description: 'The price charged for one' }) unitPrice!: ReceiptMoneyResponse;
}

export class ReceiptAttributeResponse {
  @ApiProperty({ example: 'Total' }) trait_type!: string;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'integer' }], example: '59.97 EUR' }) value!: string | number;
  @ApiPropertyOptional({ enum: ['number', 'date'], description: 'How a wallet shows a numeric value; `date`: seconds since 1970' })
  display_type?: 'number' | 'date';
}

export class ReceiptPropertiesResponse {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ type: [ReceiptItemResponse] }) items!: ReceiptItemResponse[];
  @ApiProperty({ type: ReceiptMoneyResponse }) total!: ReceiptMoneyResponse;
  @ApiProperty({ format: 'date-time', description: 'When the order was confirmed' }) confirmedAt!: string;
}

/** ERC-721 metadata (EIP-721's metadata JSON schema, with OpenSea's attributes). */
export class NftMetadataResponse {
  @ApiProperty({ example: 'Receipt of order 0190b000-0000-7000-8000-0000000000aa' }) name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [ReceiptAttributeResponse] }) attributes!: ReceiptAttributeResponse[];
  @ApiProperty({ type: ReceiptPropertiesResponse, description: 'The order the receipt is of' }) properties!: ReceiptPropertiesResponse;
}

const ORDER = '0190b000-0000-7000-8000-0000000000aa';

export const NFT_METADATA_EXAMPLE: ReceiptMetadata = {
  name: `Receipt of order ${ORDER}`,
  description: `Proof of purchase of order ${ORDER}: 3 items, 59.97 EUR paid by an on-chain transfer, confirmed on 2026-01-15.`,
  attributes: [
    { trait_type: 'Total', value: '59.97 EUR' },
    { trait_type: 'Currency', value: 'EUR' },
    { trait_type: 'Items', value: 3, display_type: 'number' },
    { trait_type: 'Confirmed', value: 1768469400, display_type: 'date' },
  ],
  properties: {
    orderId: ORDER,
    items: [
      { productId: '0190a000-0000-7000-8000-000000000001', quantity: 2, unitPrice: { amount: 1999, currency: 'EUR' } },
      { productId: '0190a000-0000-7000-8000-000000000002', quantity: 1, unitPrice: { amount: 1999, currency: 'EUR' } },
    ],
    total: { amount: 5997, currency: 'EUR' },
    confirmedAt: '2026-01-15T09:30:00.412Z',
  },
};
