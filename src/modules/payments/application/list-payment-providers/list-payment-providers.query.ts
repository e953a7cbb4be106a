import { Query } from '@nestjs/cqrs';
import type { BreakerStatus } from '../../../../../libs/resilience';

/** Each payment provider with the state of its circuit breaker and its rolling-window counts. */
export class ListPaymentProvidersQuery extends Query<BreakerStatus[]> {}
