import { defineMessage } from '../message';
import { PaymentCaptureFailedV1Payload, paymentCaptureFailedV1Schema } from './payloads';

/** The provider refused to capture the order's authorized payment for good; the payment is still AUTHORIZED. */
export class PaymentCaptureFailedV1 extends defineMessage<PaymentCaptureFailedV1Payload>(
  {
    type: 'payments.payment.capture-failed',
    version: 1,
    kind: 'event',
    context: 'payments',
  },
  paymentCaptureFailedV1Schema,
) {}
