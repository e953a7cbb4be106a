import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PlaceOrderCommand } from '../application/place-order/place-order.command';
import { GetOrderHistoryQuery, GetOrderQuery, ListOrdersQuery } from '../application/get-order/order.queries';
import {
  ListOrdersRequest,
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
  @ApiOperation({
    summary: 'Place an order',
    description: 'Prices come from the catalog. The order starts PENDING; poll it until CONFIRMED, REJECTED or ROLLED_BACK.',
  })
  @ApiAcceptedResponse({ type: OrderAcceptedResponse, headers: { Location: { description: 'URL of the order' } } })
  @ApiBadRequestResponse({ description: 'Invalid input (problem+json naming the field); nothing was written' })
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
  @ApiOkResponse({ type: OrderPageResponse })
  list(@Query() query: ListOrdersRequest): Promise<OrderPageResponse> {
    return this.queryBus.execute(
      new ListOrdersQuery({ customerId: query.customerId, status: query.status }, query.limit ?? 20, query.cursor),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One order' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiNotFoundResponse()
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<OrderResponse> {
    const order = await this.queryBus.execute(new GetOrderQuery(id));
    if (!order) throw new NotFoundException(`order ${id} does not exist`);
    return order;
  }

  @Get(':id/events')
  @ApiOperation({ summary: "The order's event history, oldest first" })
  @ApiOkResponse({ type: [OrderEventResponse] })
  @ApiNotFoundResponse()
  async events(@Param('id', new ParseUUIDPipe()) id: string): Promise<OrderEventResponse[]> {
    const history = await this.queryBus.execute(new GetOrderHistoryQuery(id));
    if (history.length === 0) throw new NotFoundException(`order ${id} does not exist`);
    return history;
  }
}
