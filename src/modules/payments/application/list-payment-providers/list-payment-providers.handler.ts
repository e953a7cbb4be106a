import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { BreakerStatus, CircuitBreakerRegistry } from '../../../../../libs/resilience';
import { ListPaymentProvidersQuery } from './list-payment-providers.query';

@QueryHandler(ListPaymentProvidersQuery)
export class ListPaymentProvidersHandler implements IQueryHandler<ListPaymentProvidersQuery> {
  constructor(private readonly breakers: CircuitBreakerRegistry) {}

  execute(): Promise<BreakerStatus[]> {
    return Promise.resolve(this.breakers.statuses('payments'));
  }
}
