import {
  Body,
  ConflictException,
  Controller,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Res,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, ownerScope, type Principal, Requires } from '../../../../libs/auth';
import { BodyLimit, IDEMPOTENCY_KEY_PATTERN, IdParams, ProblemResponses, requiredIdempotencyKey } from '../../../../libs/http';
import { ListRefundsQuery } from '../application/list-refunds/list-refunds.query';
import { RefundPaymentCommand } from '../application/refund-payment/refund-payment.command';
import {
  PaymentNotCapturedError,
  PaymentNotFoundError,
  RefundExceedsRefundableError,
  RefundKeyReusedError,
  RefundPendingError,
  RefundRefusedError,
} from '../domain/refund.errors';
import { RefundPaymentRequest } from './refund-payment.request';
import { REFUND_EXAMPLE, RefundListResponse, RefundResponse } from './refund.response';

/** Printable ASCII without spaces, as Stripe accepts: room for a UUID or a client's own scheme. */

/** An amount and a reason of 500 characters, with room to spare. */
const REFUND_BODY_LIMIT = 4 * 1024;

/** When to repeat a refund the card provider did not answer: its breaker lets a probe through within a minute. */
const PENDING_RETRY_AFTER_SECONDS = 5;

/** Rethrows a refund error as its HTTP error; any other error unchanged. */
function rethrowForHttp(reply: FastifyReply): (error: unknown) => never {
  return (error) => {
    if (error instanceof PaymentNotFoundError) throw new NotFoundException(error.message);
    if (error instanceof PaymentNotCapturedError || error instanceof RefundRefusedError) throw new ConflictException(error.message);
    if (error instanceof RefundExceedsRefundableError || error instanceof RefundKeyReusedError) {
      throw new UnprocessableEntityException(error.message);
    }
    if (error instanceof RefundPendingError) {
      void reply.header('retry-after', String(PENDING_RETRY_AFTER_SECONDS));
      throw new ServiceUnavailableException(error.message);
    }
    throw error;
  };
}

@ApiTags('payments')
@Controller('api/v1/payments')
export class RefundsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post(':id/refunds')
  @HttpCode(201)
  @BodyLimit(REFUND_BODY_LIMIT)
  @Requires('payments:refund')
  @ApiOperation({
    summary: 'Give back part or all of a captured payment',
    description:
      "Refunds at the card provider, in the payment's currency. Refunds never add up past the captured amount, " +
      'however many arrive at once. The payment becomes PARTIALLY_REFUNDED, then REFUNDED once all of it is given back.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description:
      'The same key with the same body answers the first refund again (with `Idempotent-Replayed: true`) and refunds ' +
      'nothing more, or completes it when the provider had not answered; with another body, 422. Kept per payment.',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
  })
  @ApiCreatedResponse({
    type: RefundResponse,
    example: REFUND_EXAMPLE,
    headers: { 'Idempotent-Replayed': { description: 'true when this key had requested the refund before', schema: { type: 'string' } } },
  })
  @ProblemResponses(413, 415, {
    400: 'Idempotency-Key missing or malformed, id not a UUID, or an invalid body, named in errors[]; nothing was changed',
    404: 'No payment has this id',
    409: 'The payment is not captured; or the card provider refused the refund for good: it is FAILED, nothing was refunded',
    422: 'The amount is more than what remains refundable, or the Idempotency-Key was used with another body; nothing was changed',
    503:
      'The card provider did not answer: the refund is PENDING and holds its amount; send the same request again, ' +
      'or it is asked again within a minute',
  })
  async refund(
    @CurrentPrincipal() caller: Principal,
    @Param() { id }: IdParams,
    @Body() body: RefundPaymentRequest,
    @Headers('idempotency-key') idempotencyKeyHeader: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundResponse> {
    const idempotencyKey = requiredIdempotencyKey(idempotencyKeyHeader);
    const command = new RefundPaymentCommand(id, body.amount, body.reason ?? null, idempotencyKey, caller.id);
    const { refund, replayed } = await this.commandBus.execute(command).catch(rethrowForHttp(reply));
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return RefundResponse.of(refund);
  }

  @Get(':id/refunds')
  @Requires('payments:read-own', 'payments:read-all')
  @ApiOperation({ summary: "A payment's refunds, oldest first, with their status" })
  @ApiOkResponse({ type: RefundListResponse, example: { items: [REFUND_EXAMPLE] } })
  @ProblemResponses(400, { 404: "No payment has this id, or it is another customer's" })
  async list(@CurrentPrincipal() caller: Principal, @Param() { id }: IdParams): Promise<RefundListResponse> {
    const refunds = await this.queryBus.execute(new ListRefundsQuery(id, ownerScope(caller, 'payments:read-all')));
    if (!refunds) throw new NotFoundException(`payment ${id} does not exist`);
    return { items: refunds.map((refund) => RefundResponse.of(refund)) };
  }
}
