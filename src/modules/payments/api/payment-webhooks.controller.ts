import { BadRequestException, Controller, Headers, HttpCode, Inject, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../../../libs/auth';
import { BodyLimit, ProblemResponses } from '../../../../libs/http';
import { ApplyProviderEventCommand } from '../application/apply-provider-event/apply-provider-event.command';
import type { ProviderEventOutcome } from '../application/apply-provider-event/apply-provider-event.command';
import { PAYMENTS_OPTIONS, WEBHOOK_PROVIDERS } from '../payments.options';
import type { PaymentsOptions, WebhookProvider } from '../payments.options';
import { cardEventOf } from './card-webhook-event';
import { rawBodyOf } from './webhook-raw-body';
import { checkSignature, SIGNATURE_HEADER } from './webhook-signature';

/** A card event is a payment intent or a refund of a few KiB; Stripe's own are far below this. */
const WEBHOOK_BODY_LIMIT_BYTES = 32 * 1024;

const OUTCOMES: ProviderEventOutcome[] = ['captured', 'voided', 'unchanged', 'unknown-payment', 'duplicate'];

export class WebhookReceiptResponse {
  @ApiProperty({
    enum: OUTCOMES,
    description:
      'captured, voided: the payment moved; unchanged: it already said so, or is further on; unknown-payment: no payment of ours, ' +
      'recorded only; duplicate: this event id was received before, nothing was done again',
  })
  outcome!: ProviderEventOutcome;
}

function isWebhookProvider(name: string): name is WebhookProvider {
  return (WEBHOOK_PROVIDERS as readonly string[]).includes(name);
}

@ApiTags('payments')
@Controller('api/v1/payments/webhooks')
export class PaymentWebhooksController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsOptions,
  ) {}

  @Post(':provider')
  // No token: the provider proves itself by signing the raw body with the endpoint's secret.
  @Public()
  // Limited like any public route (the default profile, per address): a provider retries a 429 later, as it does any failure.
  @HttpCode(200)
  @BodyLimit(WEBHOOK_BODY_LIMIT_BYTES)
  @ApiOperation({
    summary: "A payment provider's signed event: reconciles the payment it is about with what the provider did",
    description:
      'Only `card` has an endpoint, and only while PAYMENT_WEBHOOK_SECRET_CARD is set. The signature header is checked before ' +
      'anything else: its timestamp within PAYMENT_WEBHOOK_TOLERANCE_S (300) of the clock, its v1 the HMAC-SHA256 of ' +
      '"<t>.<raw body>". A capture or cancel the provider made moves an AUTHORIZED payment to CAPTURED or VOIDED and ' +
      'publishes PaymentCapturedV1 or PaymentVoidedV1; a late event changes nothing. Each event id has its effect once.',
  })
  @ApiParam({ name: 'provider', enum: WEBHOOK_PROVIDERS })
  @ApiHeader({
    name: SIGNATURE_HEADER,
    required: true,
    description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the endpoint\'s secret>',
    example: 't=1767000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
  })
  @ApiBody({
    description: "The provider's event as it signed it (card: Stripe's envelope `{ id, object, type, created, data: { object } }`)",
    schema: {
      type: 'object',
      required: ['id', 'type', 'data'],
      properties: { id: { type: 'string' }, type: { type: 'string' }, data: { type: 'object', additionalProperties: true } },
      // The provider's fields are its own and grow over time; the signature, not a closed schema, vouches for them.
      additionalProperties: true,
    },
  })
  @ApiOkResponse({ type: WebhookReceiptResponse, example: { outcome: 'captured' } })
  @ProblemResponses(413, 415, {
    400: 'The signature header is missing or malformed, does not match the body, or its timestamp is too old; or the body is not an event',
    404: 'No webhook endpoint for this provider',
  })
  async receive(
    @Param('provider') provider: string,
    @Headers(SIGNATURE_HEADER) signature: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<WebhookReceiptResponse> {
    const secret = isWebhookProvider(provider) ? this.options.webhookSecrets[provider] : undefined;
    if (secret === undefined) throw new NotFoundException(`no webhook endpoint for the provider '${provider}'`);
    // A request without a body has no copy: it is checked as an empty one.
    const check = checkSignature(signature, rawBodyOf(request) ?? Buffer.alloc(0), secret, this.options.webhookToleranceSeconds);
    if (!check.valid) throw new BadRequestException(check.reason);
    const event = cardEventOf(request.body);
    if (!event) throw new BadRequestException(`the body is not a ${provider} event`);
    return { outcome: await this.commandBus.execute(new ApplyProviderEventCommand(event)) };
  }
}
