import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { PaymentView } from '../payment.view';
import { GetPaymentQuery } from './get-payment.query';

@QueryHandler(GetPaymentQuery)
export class GetPaymentHandler implements IQueryHandler<GetPaymentQuery> {
  constructor(private readonly payments: PaymentRepository) {}

  execute({ orderId }: GetPaymentQuery): Promise<PaymentView | undefined> {
    return this.payments.findView(orderId);
  }
}
