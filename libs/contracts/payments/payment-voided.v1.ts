import { defineMessage } from '../message';
import { OrderPaymentV1, orderPaymentV1Schema } from './payloads';

/** The authorization was voided (or blocked before it existed). */
export class PaymentVoidedV1 extends defineMessage<OrderPaymentV1>(
  {
    type: 'payments.payment.voided',
    version: 1,
    kind: 'event',
    context: 'payments',
  },
  orderPaymentV1Schema,
) {}
