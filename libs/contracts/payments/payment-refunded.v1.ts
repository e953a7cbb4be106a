import { defineMessage, MoneyV1, moneyV1Schema } from '../message';
import { object, oneOf, uuid } from '../schema';
import { OrderPaymentV1 } from './payloads';

export interface PaymentRefundedV1Payload extends OrderPaymentV1 {
  paymentId: string;
  refundId: string;
  /** What this refund gave back, in the payment's currency. */
  amount: MoneyV1;
  /** What the payment's refunds have given back in all, this one included. */
  totalRefunded: MoneyV1;
  /** REFUNDED once the whole captured amount has been given back. */
  paymentStatus: 'PARTIALLY_REFUNDED' | 'REFUNDED';
}

export const paymentRefundedV1Schema = object<PaymentRefundedV1Payload>({
  orderId: uuid(),
  paymentId: uuid(),
  refundId: uuid(),
  amount: moneyV1Schema,
  totalRefunded: moneyV1Schema,
  paymentStatus: oneOf('PARTIALLY_REFUNDED', 'REFUNDED'),
});

/** The card provider gave back part or all of an order's captured payment to the customer. */
export class PaymentRefundedV1 extends defineMessage<PaymentRefundedV1Payload>(
  {
    type: 'payments.payment.refunded',
    version: 1,
    kind: 'event',
    context: 'payments',
  },
  paymentRefundedV1Schema,
) {}
