import { ApiProperty } from '@nestjs/swagger';
import { PAYMENT_STATUSES } from '../domain/payment';
import type { PaymentStatus } from '../domain/payment';
import { PaymentView } from '../application/payment.view';

export class MoneyResponse {
  @ApiProperty({ example: 1999, description: 'Integer minor units' })
  amount!: number;

  @ApiProperty({ example: 'EUR', pattern: '^[A-Z]{3}$' })
  currency!: string;
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

  @ApiProperty({ description: 'Calls made to the payment provider, retries included' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true, example: 'card_declined' })
  declineReason!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export function toPaymentResponse(view: PaymentView): PaymentResponse {
  return {
    id: view.id,
    orderId: view.orderId,
    status: view.status,
    amount: view.amount,
    method: view.method,
    attempts: view.attempts,
    declineReason: view.declineReason,
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
  };
}
