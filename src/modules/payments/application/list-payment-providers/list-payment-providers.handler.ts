import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CircuitBreakerRegistry } from '../../../../../libs/resilience';
import { PaymentProviderName } from '../../domain/payment';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { ListPaymentProvidersQuery, PaymentProviderStatus } from './list-payment-providers.query';

@QueryHandler(ListPaymentProvidersQuery)
export class ListPaymentProvidersHandler implements IQueryHandler<ListPaymentProvidersQuery> {
  constructor(
    private readonly breakers: CircuitBreakerRegistry,
    private readonly payments: PaymentRepository,
  ) {}

  async execute(): Promise<PaymentProviderStatus[]> {
    const parked = await this.payments.parkedCounts();
    return this.breakers.statuses('payments').map((status) => ({ ...status, parked: parked.get(status.provider as PaymentProviderName) ?? 0 }));
  }
}
