import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Requires } from '../../../../libs/auth';
import { ListPaymentProvidersQuery } from '../application/list-payment-providers/list-payment-providers.query';
import { PAYMENT_PROVIDER_LIST_EXAMPLE, PaymentProviderListResponse, toPaymentProviderResponse } from './payment-provider.response';

@ApiTags('payments')
@Controller('api/v1/payments/providers')
export class PaymentProvidersController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Requires('payments:read-all')
  @ApiOperation({
    summary: "Each payment provider with its circuit breaker's state, since when, its rolling-window counts and its parked payments",
    description:
      'An open breaker refuses calls to the provider at once: captures and voids are retried, authorizations are parked and resumed once it takes calls again.',
  })
  @ApiOkResponse({ type: PaymentProviderListResponse, example: PAYMENT_PROVIDER_LIST_EXAMPLE })
  async list(): Promise<PaymentProviderListResponse> {
    const providers = await this.queryBus.execute(new ListPaymentProvidersQuery());
    return { items: providers.map(toPaymentProviderResponse) };
  }
}
