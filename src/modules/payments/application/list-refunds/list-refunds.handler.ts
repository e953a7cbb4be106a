import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { RefundRepository } from '../../infrastructure/refund.repository';
import { RefundView } from '../refund.view';
import { ListRefundsQuery } from './list-refunds.query';

@QueryHandler(ListRefundsQuery)
export class ListRefundsHandler implements IQueryHandler<ListRefundsQuery> {
  constructor(private readonly refunds: RefundRepository) {}

  execute({ paymentId, customerId }: ListRefundsQuery): Promise<RefundView[] | undefined> {
    return this.refunds.viewsOf(paymentId, customerId);
  }
}
