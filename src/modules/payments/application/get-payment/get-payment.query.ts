import { Query } from '@nestjs/cqrs';
import { PaymentView } from '../payment.view';

/** The payment of an order, if it has one. */
export class GetPaymentQuery extends Query<PaymentView | undefined> {
  constructor(readonly orderId: string) {
    super();
  }
}
