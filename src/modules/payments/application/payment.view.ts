import { Money, PaymentProviderName, PaymentStatus } from '../domain/payment';

/** A payment as the HTTP API shows it. */
export interface PaymentView {
  id: string;
  orderId: string;
  status: PaymentStatus;
  amount: Money | null;
  method: string | null;
  provider: PaymentProviderName | null;
  attempts: number;
  declineReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}
