import { Query } from '@nestjs/cqrs';
import { RefundView } from '../refund.view';

/** The payment's refunds, oldest first; undefined when there is no such payment, or `customerId` is set and it is not theirs. */
export class ListRefundsQuery extends Query<RefundView[] | undefined> {
  constructor(
    readonly paymentId: string,
    readonly customerId?: string,
  ) {
    super();
  }
}
