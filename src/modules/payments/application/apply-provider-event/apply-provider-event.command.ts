import { Command } from '@nestjs/cqrs';

/** What a provider's event says happened to one of its payments. */
export type ProviderChange = 'authorized' | 'captured' | 'voided' | 'other';

/** A payment provider's webhook event, verified and read. */
export interface ProviderEvent {
  /** The provider's name, as in the webhook's URL: `card`. */
  provider: string;
  /** The provider's event id, unique per provider: what deduplicates repeated deliveries. */
  id: string;
  type: string;
  /** The provider's id of what the event is about: the payment intent (our payment's provider reference). */
  resourceId: string;
  /** Our ids, as our call gave them to the provider; absent when it is not a payment of ours. */
  orderId?: string;
  paymentId?: string;
  change: ProviderChange;
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
