import { Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, Post, Query, Res, UnprocessableEntityException } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, ownerScope, type Principal, Requires } from '../../../../libs/auth';
import { IDEMPOTENCY_KEY_PATTERN, IdParams, ProblemResponses, optionalIdempotencyKey } from '../../../../libs/http';
import { RateLimit } from '../../../../libs/rate-limit';
import { PlaceOrderCommand } from '../application/place-order/place-order.command';
import { IdempotencyKeyReusedError } from '../domain/order.errors';
import { GetOrderHistoryQuery, GetOrderQuery, ListOrdersQuery } from '../application/get-order/order.queries';
import {
  ListOrdersRequest,
  ORDER_ACCEPTED_EXAMPLE,
  ORDER_EVENTS_EXAMPLE,
  ORDER_EXAMPLE,
  ORDER_PAGE_EXAMPLE,
  OrderAcceptedResponse,
  OrderEventResponse,
  OrderPageResponse,
  OrderResponse,
} from './order.response';
import { PlaceOrderRequest } from './place-order.request';

/** Printable ASCII without spaces, as Stripe accepts: room for a UUID or a client's own scheme. */

@ApiTags('ordering')
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @HttpCode(202)
  // Few orders a minute per customer: beyond that, someone is testing stolen cards.
  @RateLimit('orders')
  @Requires('orders:place')
  @ApiOperation({
    summary: 'Place an order',
    description:
      'The customer is the caller. Prices come from the catalog. The order starts PENDING; poll it until CONFIRMED, REJECTED or ROLLED_BACK.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes a retry safe: the same key with the same request answers the first placement again (with ' +
      '`Idempotent-Replayed: true`) and places nothing; with another request, 422. Kept 24 hours, per customer.',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
  })
  @ApiAcceptedResponse({
    type: OrderAcceptedResponse,
    example: ORDER_ACCEPTED_EXAMPLE,
    headers: {
      Location: { description: 'URL of the order', schema: { type: 'string' } },
      'Idempotent-Replayed': { description: 'true when the Idempotency-Key had placed this order before', schema: { type: 'string' } },
    },
  })
  @ProblemResponses(413, 415, {
    422: 'The Idempotency-Key was used before with a different request; nothing was written',
    400: 'Invalid input, or a product not in the catalog, named in errors[]; nothing was written',
    503:
      'Too many orders are waiting to be decided; nothing was written. Try again after Retry-After seconds. ' +
      'A request whose Idempotency-Key already placed its order is answered with that order even then',
  })
  async place(
    @CurrentPrincipal() customer: Principal,
    @Body() body: PlaceOrderRequest,
    @Headers('idempotency-key') idempotencyKeyHeader: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderAcceptedResponse> {
    const idempotencyKey = optionalIdempotencyKey(idempotencyKeyHeader);
    const command = new PlaceOrderCommand({ ...body, customerId: customer.id, idempotencyKey });
    const { id, replayed } = await this.commandBus.execute(command).catch((error: unknown) => {
      if (error instanceof IdempotencyKeyReusedError) throw new UnprocessableEntityException(error.message);
      throw error;
    });
    if (replayed) void reply.header('idempotent-replayed', 'true');
    void reply.header('location', `/api/v1/orders/${id}`);
    return { id, status: 'PENDING' };
  }

  @Get()
  @Requires('orders:read-own', 'orders:read-all')
  @ApiOperation({
    summary: 'List orders, newest first, filtered by customer and status',
    description: "A customer sees only their own orders: another customer's id in the filter finds nothing.",
  })
  @ApiOkResponse({ type: OrderPageResponse, example: ORDER_PAGE_EXAMPLE })
  @ProblemResponses({ 400: 'Invalid parameter or cursor, named in errors[]' })
  async list(@CurrentPrincipal() caller: Principal, @Query() query: ListOrdersRequest): Promise<OrderPageResponse> {
    const owner = ownerScope(caller, 'orders:read-all');
    if (owner !== undefined && query.customerId !== undefined && query.customerId !== owner) return { items: [], nextCursor: null };
    return this.queryBus.execute(
      new ListOrdersQuery({ customerId: owner ?? query.customerId, status: query.status }, query.limit ?? 20, query.cursor),
    );
  }

  @Get(':id')
  @Requires('orders:read-own', 'orders:read-all')
  @ApiOperation({ summary: 'One order' })
  @ApiOkResponse({ type: OrderResponse, example: ORDER_EXAMPLE })
  @ProblemResponses(400, { 404: "No order has this id, or it is another customer's" })
  get(@CurrentPrincipal() caller: Principal, @Param() { id }: IdParams): Promise<OrderResponse> {
    return this.visibleOrder(caller, id);
  }

  @Get(':id/events')
  @Requires('orders:read-own', 'orders:read-all')
  @ApiOperation({ summary: "The order's event history, oldest first" })
  @ApiOkResponse({ type: [OrderEventResponse], example: ORDER_EVENTS_EXAMPLE })
  @ProblemResponses(400, { 404: "No order has this id, or it is another customer's" })
  async events(@CurrentPrincipal() caller: Principal, @Param() { id }: IdParams): Promise<OrderEventResponse[]> {
    await this.visibleOrder(caller, id);
    return this.queryBus.execute(new GetOrderHistoryQuery(id));
  }

  /** Another customer's order is answered like a missing one, so its existence is not revealed either. */
  private async visibleOrder(caller: Principal, id: string): Promise<OrderResponse> {
    const order = await this.queryBus.execute(new GetOrderQuery(id));
    const owner = ownerScope(caller, 'orders:read-all');
    if (!order || (owner !== undefined && order.customerId !== owner)) throw new NotFoundException(`order ${id} does not exist`);
    return order;
  }
}
