import { defineMessage } from '../message';
import { OrderPaymentV1, orderPaymentV1Schema } from './payloads';

/** Capture the order's authorized payment. */
export class CapturePaymentV1 extends defineMessage<OrderPaymentV1>(
  {
    type: 'payments.payment.capture',
    version: 1,
    kind: 'command',
    context: 'payments',
  },
  orderPaymentV1Schema,
) {}
