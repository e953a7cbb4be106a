import { Money } from '../domain/payment';
import { RefundStatus } from '../domain/refund';

/** A refund as the HTTP API shows it. */
export interface RefundView {
  id: string;
  paymentId: string;
  amount: Money;
  status: RefundStatus;
  reason: string | null;
  failureReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}
