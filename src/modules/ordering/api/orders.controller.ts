import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IdParams, ProblemResponses } from '../../../../libs/http';
import { RateLimit } from '../../../../libs/rate-limit';
import { PlaceOrderCommand } from '../application/place-order/place-order.command';
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
  @ApiOperation({
    summary: 'Place an order',
    description: 'Prices come from the catalog. The order starts PENDING; poll it until CONFIRMED, REJECTED or ROLLED_BACK.',
  })
  @ApiAcceptedResponse({
    type: OrderAcceptedResponse,
    example: ORDER_ACCEPTED_EXAMPLE,
    headers: { Location: { description: 'URL of the order', schema: { type: 'string' } } },
  })
  @ProblemResponses(413, 415, {
    400: 'Invalid input, or a product not in the catalog, named in errors[]; nothing was written',
    503: 'Too many orders are waiting to be decided; nothing was written. Try again after Retry-After seconds',
  })
  async place(
    @Body() body: PlaceOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderAcceptedResponse> {
    const { id } = await this.commandBus.execute(new PlaceOrderCommand(body));
    void reply.header('location', `/api/v1/orders/${id}`);
    return { id, status: 'PENDING' };
  }

  @Get()
  @ApiOperation({ summary: 'List orders, newest first, filtered by customer and status' })
  @ApiOkResponse({ type: OrderPageResponse, example: ORDER_PAGE_EXAMPLE })
  @ProblemResponses({ 400: 'Invalid parameter or cursor, named in errors[]' })
  list(@Query() query: ListOrdersRequest): Promise<OrderPageResponse> {
    return this.queryBus.execute(
      new ListOrdersQuery({ customerId: query.customerId, status: query.status }, query.limit ?? 20, query.cursor),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One order' })
  @ApiOkResponse({ type: OrderResponse, example: ORDER_EXAMPLE })
  @ProblemResponses(400, { 404: 'No order has this id' })
  async get(@Param() { id }: IdParams): Promise<OrderResponse> {
    const order = await this.queryBus.execute(new GetOrderQuery(id));
    if (!order) throw new NotFoundException(`order ${id} does not exist`);
    return order;
  }

  @Get(':id/events')
  @ApiOperation({ summary: "The order's event history, oldest first" })
  @ApiOkResponse({ type: [OrderEventResponse], example: ORDER_EVENTS_EXAMPLE })
  @ProblemResponses(400, { 404: 'No order has this id' })
  async events(@Param() { id }: IdParams): Promise<OrderEventResponse[]> {
    const history = await this.queryBus.execute(new GetOrderHistoryQuery(id));
    if (history.length === 0) throw new NotFoundException(`order ${id} does not exist`);
    return history;
  }
}
