import { MoneyV1 } from '../message';

export type PaymentMethodV1 = 'card' | 'paypal' | 'crypto';

export interface OrderPaymentV1 {
  orderId: string;
}

export interface AuthorizePaymentV1Payload extends OrderPaymentV1 {
  amount: MoneyV1;
  method: PaymentMethodV1;
  /** Provider token of the payment instrument (e.g. `tok_visa`); never a card number. */
  token: string;
}

export interface PaymentAuthorizedV1Payload extends OrderPaymentV1 {
  paymentId: string;
  amount: MoneyV1;
}

export interface PaymentDeclinedV1Payload extends OrderPaymentV1 {
  reason: string;
}
