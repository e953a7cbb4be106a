import { Body, ConflictException, Controller, Get, NotFoundException, Param, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, Requires } from '../../../../libs/auth';
import { ProblemResponses } from '../../../../libs/http';
import { GetStockQuery } from '../application/get-stock/get-stock.query';
import { SetStockCommand } from '../application/set-stock/set-stock.command';
import { OnHandBelowReservedError, UnknownProductError } from '../domain/inventory.errors';
import { ProductIdParams } from './product-id.params';
import { SetStockRequest } from './set-stock.request';
import { STOCK_EXAMPLE, StockResponse } from './stock.response';

@ApiTags('inventory')
@Controller('api/v1/inventory')
export class InventoryController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Put(':productId')
  @Requires('inventory:write')
  @ApiOperation({ summary: "Set a catalog product's on-hand stock (a stock count); creates its stock if missing" })
  @ApiOkResponse({ type: StockResponse, example: STOCK_EXAMPLE })
  @ProblemResponses(413, 415, {
    400: 'Invalid product id or on-hand quantity, named in errors[]',
    404: 'The catalog has no such product (a product created moments ago may not be known here yet)',
    409: 'On-hand would drop below the units already reserved',
  })
  async setStock(@Param() { productId }: ProductIdParams, @Body() body: SetStockRequest): Promise<StockResponse> {
    try {
      return StockResponse.of(await this.commandBus.execute(new SetStockCommand(productId, body.onHand)));
    } catch (error) {
      if (error instanceof UnknownProductError) throw new NotFoundException(error.message);
      if (error instanceof OnHandBelowReservedError) throw new ConflictException(error.message);
      throw error;
    }
  }

  @Get(':productId')
  @Public()
  @ApiOperation({ summary: "A product's stock: on hand, reserved and available" })
  @ApiOkResponse({ type: StockResponse, example: STOCK_EXAMPLE })
  @ProblemResponses({ 400: 'Invalid product id, named in errors[]', 404: 'The product was never stocked' })
  async getStock(@Param() { productId }: ProductIdParams): Promise<StockResponse> {
    const level = await this.queryBus.execute(new GetStockQuery(productId));
    if (!level) throw new NotFoundException(`product ${productId} has no stock`);
    return StockResponse.of(level);
  }
}
