import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { decodeCursor, encodeCursor, InvalidInputException } from '../../../../libs/http';
import { CreateProductCommand } from '../application/create-product/create-product.command';
import { GetProductQuery } from '../application/get-product/get-product.query';
import { ListProductsQuery } from '../application/list-products/list-products.query';
import { UpdateProductCommand } from '../application/update-product/update-product.command';
import { ProductDetails } from '../domain/product';
import { rethrowForHttp } from './catalog-errors';
import { CreateProductRequest } from './create-product.request';
import { ListProductsRequest } from './list-products.request';
import { ProductPageResponse, ProductResponse, toProductResponse } from './product.response';
import { UpdateProductRequest } from './update-product.request';

const DEFAULT_PAGE_SIZE = 20;

const productId = new ParseUUIDPipe({
  exceptionFactory: () => new InvalidInputException([{ field: 'id', message: 'must be a UUID' }]),
});

function isCursorKey(value: unknown): value is { id: string } {
  return typeof value === 'object' && value !== null && isUUID((value as { id?: unknown }).id);
}

@ApiTags('catalog')
@Controller('api/v1/products')
export class ProductsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a product to the catalog' })
  @ApiCreatedResponse({
    type: ProductResponse,
    headers: { Location: { description: 'URL of the new product', schema: { type: 'string' } } },
  })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields' })
  @ApiConflictResponse({ description: 'Another product has this sku' })
  async create(
    @Body() body: CreateProductRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    const { sku, name, description, category, price, popularity } = body;
    const product = await this.commandBus
      .execute(new CreateProductCommand({ sku, name, description, category, price: { ...price }, popularity }))
      .catch(rethrowForHttp);
    void reply.header('Location', `/api/v1/products/${product.id}`);
    return toProductResponse(product);
  }

  @Get()
  @ApiOperation({ summary: 'Products in creation order, one page at a time' })
  @ApiOkResponse({ type: ProductPageResponse })
  @ApiBadRequestResponse({ description: 'Invalid limit or cursor' })
  async list(@Query() query: ListProductsRequest): Promise<ProductPageResponse> {
    const after = decodeCursor(query.cursor, isCursorKey);
    const page = await this.queryBus.execute(new ListProductsQuery(query.limit ?? DEFAULT_PAGE_SIZE, after?.id));
    return {
      items: page.items.map(toProductResponse),
      nextCursor: page.lastId === null ? null : encodeCursor({ id: page.lastId }),
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One product' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ description: 'No product has this id' })
  async get(@Param('id', productId) id: string): Promise<ProductResponse> {
    const product = await this.queryBus.execute(new GetProductQuery(id));
    if (!product) throw new NotFoundException(`product ${id} does not exist`);
    return toProductResponse(product);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change some of the fields of a product; its version goes up by one' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields, or no field at all' })
  @ApiNotFoundResponse({ description: 'No product has this id' })
  @ApiConflictResponse({ description: 'Another product has this sku' })
  async update(@Param('id', productId) id: string, @Body() body: UpdateProductRequest): Promise<ProductResponse> {
    const changes: Partial<ProductDetails> = Object.fromEntries(
      Object.entries(body).filter(([, value]) => value !== undefined),
    );
    if (Object.keys(changes).length === 0) {
      throw new InvalidInputException([{ field: 'body', message: 'must change at least one field' }]);
    }
    const product = await this.commandBus.execute(new UpdateProductCommand(id, changes)).catch(rethrowForHttp);
    return toProductResponse(product);
  }
}
