import { Money, OrderLine, PaymentMethod } from '../../domain/order-events';
import { ReplyStatus, SagaOutcome } from './decision-matrix';

/** What the saga of one order remembers between replies. */
export interface OrderSagaState {
  orderId: string;
  status: 'RUNNING' | 'DONE';
  inventory: ReplyStatus;
  payment: ReplyStatus;
  outcome: SagaOutcome | null;
  reasons: string[];
  lines: OrderLine[];
  total: Money;
  paymentMethod: PaymentMethod;
  /** Kept to re-send the authorization when re-driving; the order's history never holds it. */
  paymentToken: string;
  correlationId: string;
  startedAt: Date;
  deadlineAt: Date;
  lastDrivenAt: Date;
  redriveCount: number;
  finishedAt: Date | null;
}
