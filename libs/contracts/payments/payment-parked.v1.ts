import { defineMessage } from '../message';
import { PaymentParkedV1Payload, paymentParkedV1Schema } from './payloads';

/**
 * The order's provider is unavailable (its circuit is open): the authorization waits and is
 * tried again by itself once the provider recovers, until `parkedUntil`. A reply, not a decision.
 */
export class PaymentParkedV1 extends defineMessage<PaymentParkedV1Payload>(
  {
    type: 'payments.payment.parked',
    version: 1,
    kind: 'event',
    context: 'payments',
  },
  paymentParkedV1Schema,
) {}
