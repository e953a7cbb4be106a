import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ownerScope, type Principal, Requires } from '../../../../libs/auth';
import { ProblemResponses } from '../../../../libs/http';
import { ListPaymentsQuery } from '../application/list-payments/list-payments.query';
import { ListPaymentsRequest } from './list-payments.request';
import { PAYMENT_LIST_EXAMPLE, PaymentListResponse, toPaymentResponse } from './payment.response';

@ApiTags('payments')
@Controller('api/v1/payments')
export class PaymentsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Requires('payments:read-own', 'payments:read-all')
  @ApiOperation({
    summary: "An order's payments, oldest first: status, amount, provider attempts, decline reason",
    description: "An empty list when the order has no payment (yet), there is no such order, or it is another customer's.",
  })
  @ApiOkResponse({ type: PaymentListResponse, example: PAYMENT_LIST_EXAMPLE })
  @ProblemResponses({ 400: 'orderId is missing or not a UUID' })
  async list(@CurrentPrincipal() caller: Principal, @Query() { orderId }: ListPaymentsRequest): Promise<PaymentListResponse> {
    const payments = await this.queryBus.execute(new ListPaymentsQuery(orderId, ownerScope(caller, 'payments:read-all')));
    return { items: payments.map(toPaymentResponse) };
  }
}
