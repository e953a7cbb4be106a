import { defineMessage } from '../message';
import { OrderPaymentV1, orderPaymentV1Schema } from './payloads';

/** Void the order's authorization. Idempotent; voiding before authorizing blocks a later authorization. */
export class VoidPaymentV1 extends defineMessage<OrderPaymentV1>(
  {
    type: 'payments.payment.void',
    version: 1,
    kind: 'command',
    context: 'payments',
  },
  orderPaymentV1Schema,
) {}
