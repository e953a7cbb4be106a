import { Query } from '@nestjs/cqrs';
import { PaymentView } from '../payment.view';

/** The payments of an order, oldest first; none when it has not asked to pay (yet). Only `customerId`'s when set. */
export class ListPaymentsQuery extends Query<PaymentView[]> {
  constructor(
    readonly orderId: string,
    readonly customerId?: string,
  ) {
    super();
  }
}
