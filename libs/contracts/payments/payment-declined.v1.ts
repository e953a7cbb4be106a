import { defineMessage } from '../message';
import { PaymentDeclinedV1Payload, paymentDeclinedV1Schema } from './payloads';

/** The provider declined, or kept failing until retries ran out. */
export class PaymentDeclinedV1 extends defineMessage<PaymentDeclinedV1Payload>(
  {
    type: 'payments.payment.declined',
    version: 1,
    kind: 'event',
    context: 'payments',
  },
  paymentDeclinedV1Schema,
) {}
