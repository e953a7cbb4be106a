import { ApiProperty } from '@nestjs/swagger';
import { REFUND_STATUSES } from '../domain/refund';
import type { RefundStatus } from '../domain/refund';
import { RefundView } from '../application/refund.view';
import { MoneyResponse } from './payment.response';

export class RefundResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  paymentId!: string;

  @ApiProperty({ type: MoneyResponse })
  amount!: MoneyResponse;

  @ApiProperty({
    enum: REFUND_STATUSES,
    description: 'PENDING while the card provider has not answered (its amount is held); FAILED when it refused for good',
  })
  status!: RefundStatus;

  @ApiProperty({ type: String, nullable: true, example: 'Item returned damaged' })
  reason!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: "The card provider's code when it refused the refund" })
  failureReason!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static of(view: RefundView): RefundResponse {
    return { ...view, createdAt: view.createdAt.toISOString(), updatedAt: view.updatedAt.toISOString() };
  }
}

export class RefundListResponse {
  @ApiProperty({ type: [RefundResponse], description: 'Oldest first' })
  items!: RefundResponse[];
}

export const REFUND_EXAMPLE: RefundResponse = {
  id: '0190a3f2-4c2b-7f54-9b72-3c4d5e6f7081',
  paymentId: '0190a3f2-3b1a-7e43-8a61-2b3c4d5e6f70',
  amount: { amount: 1000, currency: 'EUR' },
  status: 'SUCCEEDED',
  reason: 'Item returned damaged',
  failureReason: null,
  createdAt: '2026-01-16T10:00:00.100Z',
  updatedAt: '2026-01-16T10:00:00.350Z',
};
