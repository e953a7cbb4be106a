import { defineMessage } from '../message';
import { OrderPaymentV1, orderPaymentV1Schema } from './payloads';

/** The authorized amount was captured. */
export class PaymentCapturedV1 extends defineMessage<OrderPaymentV1>(
  {
    type: 'payments.payment.captured',
    version: 1,
    kind: 'event',
    context: 'payments',
  },
  orderPaymentV1Schema,
) {}
