import { Command } from '@nestjs/cqrs';
import type { PaymentProviderName } from '../../domain/payment';

/** What a provider's event says happened to one of its payments. */
export type ProviderChange = 'authorized' | 'captured' | 'voided' | 'other';

/** A payment provider's webhook event, verified and read into the same shape whatever the provider. */
export interface ProviderEvent {
  /** The provider's name, as in the webhook's URL. */
  provider: PaymentProviderName;
  /** The provider's event id, unique per provider: what deduplicates repeated deliveries. */
  id: string;
  type: string;
  /** The provider's id of what the event is about (a payment intent, an authorization, a capture, a refund), recorded with it. */
  resourceId: string;
  /**
   * The provider's references that may name our payment: its authorization's and, where the provider
   * gives the capture an id of its own (PayPal), the capture's. The payment's stored reference must be one of them.
   */
  references: string[];
  /** Our ids, where the provider echoes the metadata of our call (card, crypto); without them the payment is found by its reference. */
  ours?: { orderId: string; paymentId: string };
  change: ProviderChange;
  /** The capture's own id, which becomes the payment's reference once captured (refunds name it). */
  captureReference?: string;
}

/**
 * `captured` and `voided` moved the payment; `unchanged`: it already said so, or says something
 * newer (a late authorization after the capture); `unknown-payment`: no payment of ours;
 * `duplicate`: this event was received before, nothing was done again.
 */
export type ProviderEventOutcome = 'captured' | 'voided' | 'unchanged' | 'unknown-payment' | 'duplicate';

/** Reconcile our payment with what the provider says happened to it. */
export class ApplyProviderEventCommand extends Command<ProviderEventOutcome> {
  constructor(readonly event: ProviderEvent) {
    super();
  }
}
