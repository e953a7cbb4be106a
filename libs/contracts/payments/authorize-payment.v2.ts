import { defineMessage } from '../message';
import { AuthorizePaymentV2Payload, authorizePaymentV2Schema } from './payloads';

/**
 * Authorize (not capture) the order's total with the payment method sealed for payments
 * (PAYMENT_METHOD_REF). Replied to with PaymentAuthorizedV1 or PaymentDeclinedV1. Replaces
 * AuthorizePaymentV1, which carried the provider token in plain text.
 */
export class AuthorizePaymentV2 extends defineMessage<AuthorizePaymentV2Payload>(
  {
    type: 'payments.payment.authorize',
    version: 2,
    kind: 'command',
    context: 'payments',
  },
  authorizePaymentV2Schema,
) {}
