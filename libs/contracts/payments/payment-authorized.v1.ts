import { defineMessage } from '../message';
import { PaymentAuthorizedV1Payload, paymentAuthorizedV1Schema } from './payloads';

/** The provider authorized the order's total. */
export class PaymentAuthorizedV1 extends defineMessage<PaymentAuthorizedV1Payload>(
  {
    type: 'payments.payment.authorized',
    version: 1,
    kind: 'event',
    context: 'payments',
  },
  paymentAuthorizedV1Schema,
) {}
