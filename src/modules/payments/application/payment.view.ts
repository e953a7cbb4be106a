import { Money, PaymentStatus } from '../domain/payment';

/** A payment as the HTTP API shows it. */
export interface PaymentView {
  id: string;
  orderId: string;
  status: PaymentStatus;
  amount: Money | null;
  method: string | null;
  attempts: number;
  declineReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}
