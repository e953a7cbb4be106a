import { Money, OrderLine, PaymentMethod } from '../../domain/order-events';
import { ReplyStatus, SagaOutcome } from './decision-matrix';

/** A provider token sealed for payments, which alone can open it, until it expires. */
export interface SealedPaymentMethod {
  ref: string;
  expiresAt: Date;
}

/** What the saga of one order remembers between replies. */
export interface OrderSagaState {
  orderId: string;
  customerId: string;
  status: 'RUNNING' | 'DONE';
  inventory: ReplyStatus;
  payment: ReplyStatus;
  outcome: SagaOutcome | null;
  reasons: string[];
  lines: OrderLine[];
  total: Money;
  paymentMethod: PaymentMethod;
  /**
   * The payment token sealed for payments, which alone can open it (docs/decisions/0022), kept
   * to re-send the authorization when re-driving and dropped once the saga is done. Absent on a
   * saga started before tokens were sealed. The order's history never holds it.
   */
  sealedPaymentMethod: SealedPaymentMethod | null;
  correlationId: string;
  startedAt: Date;
  deadlineAt: Date;
  lastDrivenAt: Date;
  redriveCount: number;
  finishedAt: Date | null;
}
