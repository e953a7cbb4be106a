import { Query } from '@nestjs/cqrs';
import type { BreakerStatus } from '../../../../../libs/resilience';

/** A payment provider's breaker, and how many payments wait parked for the provider. */
export interface PaymentProviderStatus extends BreakerStatus {
  parked: number;
}

/** Each payment provider with the state of its circuit breaker, its rolling-window counts and its parked payments. */
export class ListPaymentProvidersQuery extends Query<PaymentProviderStatus[]> {}
