import { BadRequestException, Controller, Headers, HttpCode, Inject, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { Public } from '../../../../libs/auth';
import { BodyLimit, ProblemResponses } from '../../../../libs/http';
import { ApplyProviderEventCommand } from '../application/apply-provider-event/apply-provider-event.command';
import type { ProviderEventOutcome } from '../application/apply-provider-event/apply-provider-event.command';
import { PAYMENTS_OPTIONS, WEBHOOK_PROVIDERS } from '../payments.options';
import type { PaymentsOptions, WebhookProvider } from '../payments.options';
import { CRYPTO_SIGNATURE_HEADER } from './crypto-webhook-signature';
import { PAYPAL_AUTH_ALGO, PAYPAL_HEADERS } from './paypal-webhook-signature';
import { rawBodyOf } from './webhook-raw-body';
import { WEBHOOK_SCHEMES } from './webhook-schemes';
import { SIGNATURE_HEADER } from './webhook-signature';

/** An event is a payment intent, an authorization, a capture, a refund or a payment request of a few KiB; the providers' own are far below this. */
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
      'A provider has an endpoint only while its secret is set (PAYMENT_WEBHOOK_SECRET_CARD, _PAYPAL, _CRYPTO). Its signature is ' +
      'checked before anything else, each provider its own way, its time within PAYMENT_WEBHOOK_TOLERANCE_S (300) of the clock: ' +
      `card: ${SIGNATURE_HEADER} t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">; ` +
      `paypal: ${PAYPAL_HEADERS.transmissionSig}, the base64 HMAC-SHA256 of "<transmission id>|<transmission time>|<webhook id>|<CRC32 of the raw body>" ` +
      `(${PAYPAL_HEADERS.authAlgo} ${PAYPAL_AUTH_ALGO}); crypto: ${CRYPTO_SIGNATURE_HEADER}, the hex HMAC-SHA256 of the raw body, whose scheduled_for is the time. ` +
      'A capture or void the provider made moves an AUTHORIZED payment to CAPTURED or VOIDED and publishes PaymentCapturedV1 or ' +
      'PaymentVoidedV1; a late event changes nothing. Each event id has its effect once.',
  })
  @ApiParam({ name: 'provider', enum: WEBHOOK_PROVIDERS })
  @ApiHeader({
    name: SIGNATURE_HEADER,
    required: false,
    description: 'card (required): t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the endpoint\'s secret>',
    example: 't=1767000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
  })
  @ApiHeader({ name: PAYPAL_HEADERS.transmissionId, required: false, description: 'paypal (required): the transmission\'s id', example: '69cd13f0-d67a-11e5-baa3-778b53f4ae55' })
  @ApiHeader({ name: PAYPAL_HEADERS.transmissionTime, required: false, description: 'paypal (required): when it was sent, in UTC', example: '2026-12-02T10:31:27Z' })
  @ApiHeader({
    name: PAYPAL_HEADERS.transmissionSig,
    required: false,
    description: 'paypal (required): base64 HMAC-SHA256 of "<transmission id>|<transmission time>|<PAYMENT_WEBHOOK_ID_PAYPAL>|<CRC32 of the raw body, decimal>"',
  })
  @ApiHeader({ name: PAYPAL_HEADERS.authAlgo, required: false, description: `paypal (required): ${PAYPAL_AUTH_ALGO}`, example: PAYPAL_AUTH_ALGO })
  @ApiHeader({ name: CRYPTO_SIGNATURE_HEADER, required: false, description: 'crypto (required): hex HMAC-SHA256 of the raw body keyed by the endpoint\'s secret' })
  @ApiBody({
    description:
      "The provider's event as it signed it: card, Stripe's envelope `{ id, object, type, created, data: { object } }`; paypal, " +
      "PayPal's `{ id, event_type, resource_type, resource }`; crypto, Coinbase Commerce's delivery `{ id, scheduled_for, attempt_number, event: { id, type, data } }`",
    schema: {
      // The provider's fields are its own and grow over time; the signature, not a closed schema, vouches for them.
      anyOf: [
        {
          title: 'card',
          type: 'object',
          required: ['id', 'type', 'data'],
          properties: { id: { type: 'string' }, type: { type: 'string' }, data: { type: 'object', additionalProperties: true } },
          additionalProperties: true,
        },
        {
          title: 'paypal',
          type: 'object',
          required: ['id', 'event_type', 'resource'],
          properties: { id: { type: 'string' }, event_type: { type: 'string' }, resource: { type: 'object', additionalProperties: true } },
          additionalProperties: true,
        },
        {
          title: 'crypto',
          type: 'object',
          required: ['id', 'scheduled_for', 'event'],
          properties: { id: { type: 'string' }, scheduled_for: { type: 'string', format: 'date-time' }, event: { type: 'object', additionalProperties: true } },
          additionalProperties: true,
        },
      ],
    },
  })
  @ApiOkResponse({ type: WebhookReceiptResponse, example: { outcome: 'captured' } })
  @ProblemResponses(413, 415, {
    400: "The signature headers are missing or malformed, do not match the body, or their time is out of tolerance; or the body is not the provider's event",
    404: 'No webhook endpoint for this provider',
  })
  async receive(
    @Param('provider') provider: string,
    @Headers() headers: IncomingHttpHeaders,
    @Req() request: FastifyRequest,
  ): Promise<WebhookReceiptResponse> {
    const secret = isWebhookProvider(provider) ? this.options.webhookSecrets[provider] : undefined;
    if (!isWebhookProvider(provider) || secret === undefined) throw new NotFoundException(`no webhook endpoint for the provider '${provider}'`);
    const scheme = WEBHOOK_SCHEMES[provider];
    // A request without a body has no copy: it is checked as an empty one.
    const check = scheme.verify({ headers, rawBody: rawBodyOf(request) ?? Buffer.alloc(0), body: request.body }, secret, this.options);
    if (!check.valid) throw new BadRequestException(check.reason);
    const event = scheme.read(request.body);
    if (!event) throw new BadRequestException(`the body is not a ${provider} event`);
    return { outcome: await this.commandBus.execute(new ApplyProviderEventCommand(event)) };
  }
}
