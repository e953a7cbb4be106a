import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { PaymentView } from '../payment.view';
import { ListPaymentsQuery } from './list-payments.query';

@QueryHandler(ListPaymentsQuery)
export class ListPaymentsHandler implements IQueryHandler<ListPaymentsQuery> {
  constructor(private readonly payments: PaymentRepository) {}

  execute({ orderId, customerId }: ListPaymentsQuery): Promise<PaymentView[]> {
    return this.payments.viewsOf(orderId, customerId);
  }
}
