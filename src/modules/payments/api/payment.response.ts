import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PAYMENT_PROVIDER_NAMES, PAYMENT_STATUSES } from '../domain/payment';
import type { PaymentProviderName, PaymentStatus } from '../domain/payment';
import { PaymentView } from '../application/payment.view';
import { TRANSFER_REQUEST_STATUSES } from '../domain/transfer-request';
import type { TransferRequestStatus } from '../domain/transfer-request';

export class MoneyResponse {
  @ApiProperty({ type: 'integer', example: 1999, description: 'Integer minor units' })
  amount!: number;

  @ApiProperty({ example: 'EUR', pattern: '^[A-Z]{3}$' })
  currency!: string;
}

export class TransferRequestResponse {
  @ApiProperty({ type: 'integer', example: 137, description: 'EIP-155 chain id of the chain to transfer on' })
  chainId!: number;

  @ApiProperty({ example: 'EURC', description: "The stablecoin of the order's currency" })
  token!: string;

  @ApiProperty({ example: '0x5fbdb2315678afecb367f032d93f642f64180aa3', description: "The token's ERC-20 contract" })
  tokenAddress!: string;

  @ApiProperty({ example: '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc', description: 'The address made for this payment alone: transfer the amount to it' })
  receivingAddress!: string;

  @ApiProperty({ example: '59970000', pattern: '^[0-9]+$', description: "The amount to transfer, in the token's smallest unit" })
  amount!: string;

  @ApiProperty({ example: '0', pattern: '^[0-9]+$', description: 'What transfers with their confirmations brought by the expiry, in the same unit' })
  received!: string;

  @ApiProperty({ enum: TRANSFER_REQUEST_STATUSES })
  status!: TransferRequestStatus;

  @ApiProperty({ format: 'date-time', description: "A transfer in a block after this time does not pay the order" })
  expiresAt!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Where the first counted transfer came from' })
  payer!: string | null;
}

export class PaymentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  orderId!: string;

  @ApiProperty({ enum: PAYMENT_STATUSES })
  status!: PaymentStatus;

  @ApiProperty({
    type: MoneyResponse,
    nullable: true,
    description: 'Null when the order voided its payment before asking to authorize it',
  })
  amount!: MoneyResponse | null;

  @ApiProperty({ type: String, nullable: true, example: 'card' })
  method!: string | null;

  @ApiProperty({
    enum: PAYMENT_PROVIDER_NAMES,
    nullable: true,
    example: 'card',
    description: "The provider the method's payments go to; its capture, void and refunds go there too. Null when the order voided its payment before asking to authorize it",
  })
  provider!: PaymentProviderName | null;

  @ApiProperty({ type: 'integer', example: 1, description: 'Calls made to the payment provider, retries included' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true, example: 'card_declined' })
  declineReason!: string | null;

  @ApiPropertyOptional({
    type: TransferRequestResponse,
    description: "Only on a crypto payment paid by the payer's own on-chain transfer (with transfer payments configured): where to pay, what, until when",
  })
  transferRequest?: TransferRequestResponse;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class PaymentListResponse {
  @ApiProperty({ type: [PaymentResponse], description: 'Oldest first; empty when the order has no payment (yet)' })
  items!: PaymentResponse[];
}

export const PAYMENT_LIST_EXAMPLE: PaymentListResponse = {
  items: [
    {
      id: '0190a3f2-3b1a-7e43-8a61-2b3c4d5e6f70',
      orderId: '0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f',
      status: 'CAPTURED',
      amount: { amount: 3998, currency: 'EUR' },
      method: 'card',
      provider: 'card',
      attempts: 1,
      declineReason: null,
      createdAt: '2026-01-15T09:30:00.200Z',
      updatedAt: '2026-01-15T09:30:00.450Z',
    },
  ],
};

export function toPaymentResponse(view: PaymentView): PaymentResponse {
  return {
    id: view.id,
    orderId: view.orderId,
    status: view.status,
    amount: view.amount,
    method: view.method,
    provider: view.provider,
    attempts: view.attempts,
    declineReason: view.declineReason,
    ...(view.transferRequest && { transferRequest: { ...view.transferRequest, expiresAt: view.transferRequest.expiresAt.toISOString() } }),
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
  };
}
