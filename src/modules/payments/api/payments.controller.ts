import { Controller, Get, NotFoundException, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemResponses } from '../../../../libs/http';
import { GetPaymentQuery } from '../application/get-payment/get-payment.query';
import { FindPaymentRequest } from './find-payment.request';
import { PAYMENT_EXAMPLE, PaymentResponse, toPaymentResponse } from './payment.response';

@ApiTags('payments')
@Controller('api/v1/payments')
export class PaymentsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "An order's payment: status, amount, provider attempts, decline reason" })
  @ApiOkResponse({ type: PaymentResponse, example: PAYMENT_EXAMPLE })
  @ProblemResponses({ 400: 'orderId is missing or not a UUID', 404: 'The order has no payment (yet)' })
  async find(@Query() { orderId }: FindPaymentRequest): Promise<PaymentResponse> {
    const payment = await this.queryBus.execute(new GetPaymentQuery(orderId));
    if (!payment) throw new NotFoundException(`order ${orderId} has no payment`);
    return toPaymentResponse(payment);
  }
}
