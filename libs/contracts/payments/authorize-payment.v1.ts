import { defineMessage } from '../message';
import { AuthorizePaymentV1Payload, authorizePaymentV1Schema } from './payloads';

/**
 * Authorize (not capture) the order's total. Replied to with PaymentAuthorizedV1 or PaymentDeclinedV1.
 * @deprecated Carries the provider token in plain text; sent no more, still answered so that
 * requests sent before AuthorizePaymentV2 are. Send AuthorizePaymentV2.
 */
export class AuthorizePaymentV1 extends defineMessage<AuthorizePaymentV1Payload>(
  {
    type: 'payments.payment.authorize',
    version: 1,
    kind: 'command',
    context: 'payments',
  },
  authorizePaymentV1Schema,
) {}
