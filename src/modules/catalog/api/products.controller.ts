import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public, Requires } from '../../../../libs/auth';
import { BodyLimit, IdParams, InvalidInputException, ProblemResponses } from '../../../../libs/http';
import { ArchiveProductCommand } from '../application/archive-product/archive-product.command';
import { BulkCreateProductsCommand } from '../application/bulk-create-products/bulk-create-products.command';
import { CreateProductCommand } from '../application/create-product/create-product.command';
import { GetProductQuery } from '../application/get-product/get-product.query';
import { ProductView } from '../application/product.view';
import { SearchProductsQuery } from '../application/search-products/search-products.query';
import { UpdateProductCommand } from '../application/update-product/update-product.command';
import { NewProductDetails, ProductDetails } from '../domain/product';
import { BulkCreateProductsRequest } from './bulk-create-products.request';
import { rethrowBulkForHttp, rethrowForHttp } from './catalog-errors';
import { CreateProductRequest } from './create-product.request';
import { entityTagOf, expectedVersionOf, IF_MATCH_PATTERN, notModified } from './if-match';
import {
  BULK_CREATE_EXAMPLE,
  BulkCreateProductsResponse,
  PRODUCT_EXAMPLE,
  ProductResponse,
  ProductSearchPageResponse,
  SEARCH_PAGE_EXAMPLE,
  toProductResponse,
  toSearchPageResponse,
} from './product.response';
import { productSearchOf, SearchProductsRequest } from './search-products.request';
import { UpdateProductRequest } from './update-product.request';

/** Room for any valid product: at most about 185 KB of JSON (longest texts, every character escaped). */
const PRODUCT_BODY_LIMIT = 256 * 1024;
/** Room for 1,000 products with 5,000-character descriptions, even in three-byte characters. */
const BULK_BODY_LIMIT = 16 * 1_048_576;

const ETAG_HEADER = { ETag: { description: 'The product version, "<version>"', schema: { type: 'string' } } };

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The ETag the edit is based on, or *; 412 if the product changed since',
  schema: { type: 'string', pattern: IF_MATCH_PATTERN },
} as const;

function detailsOf(body: CreateProductRequest): NewProductDetails {
  const { sku, name, description, category, price, popularity, attributes } = body;
  return { sku, name, description, category, price: { ...price }, popularity, attributes };
}

@ApiTags('catalog')
@Controller('api/v1/products')
export class ProductsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @BodyLimit(PRODUCT_BODY_LIMIT)
  @Requires('catalog:write')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a product to the catalog; it becomes searchable moments later' })
  @ApiCreatedResponse({
    type: ProductResponse,
    example: { ...PRODUCT_EXAMPLE, version: 1, indexing: { status: 'pending', indexedAt: null, error: null } },
    headers: { Location: { description: 'URL of the new product', schema: { type: 'string' } }, ...ETAG_HEADER },
  })
  @ProblemResponses(413, 415, { 400: 'Invalid or unknown fields, named in errors[]', 409: 'Another product has this sku' })
  async create(
    @Body() body: CreateProductRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    const product = await this.commandBus.execute(new CreateProductCommand(detailsOf(body))).catch(rethrowForHttp);
    void reply.header('Location', `/api/v1/products/${product.id}`);
    return this.withEntityTag(reply, product);
  }

  @Post('bulk')
  @BodyLimit(BULK_BODY_LIMIT)
  @Requires('catalog:write')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add up to 1,000 products in one transaction: all of them or none' })
  @ApiCreatedResponse({ type: BulkCreateProductsResponse, example: BULK_CREATE_EXAMPLE })
  @ProblemResponses(413, 415, {
    400: 'More than 1,000 products, or invalid fields named `products[i].field`',
    409: 'A sku is taken, named `products[i].sku` in errors[]; nothing was created',
  })
  async bulkCreate(@Body() body: BulkCreateProductsRequest): Promise<BulkCreateProductsResponse> {
    const created = await this.commandBus
      .execute(new BulkCreateProductsCommand(body.products.map(detailsOf)))
      .catch(rethrowBulkForHttp(body.products.map((p) => p.sku)));
    return { count: created.length, ids: created.map((p) => p.id) };
  }

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Search active products by words, category and price, one keyset page at a time',
    description:
      'Served by the search read model, which follows changes moments after they commit. ' +
      'Every word of q matches as a prefix (name weighs more than description); where pg_trgm is ' +
      'available, names close to q match too (typos). Without q the default order is newest first.',
  })
  @ApiOkResponse({ type: ProductSearchPageResponse, example: SEARCH_PAGE_EXAMPLE })
  @ProblemResponses({ 400: 'Invalid parameter, named in errors[].field' })
  async search(@Query() query: SearchProductsRequest): Promise<ProductSearchPageResponse> {
    const search = productSearchOf(query);
    const page = await this.queryBus.execute(new SearchProductsQuery(search));
    return toSearchPageResponse(search.sort, page);
  }

  @Get(':id')
  @Public()
  @ApiOperation({
    summary: 'One product, archived or not, with its indexing status',
    description: 'Served from cache. With If-None-Match equal to its ETag ("<version>"): 304 and no body.',
  })
  @ApiOkResponse({ type: ProductResponse, example: PRODUCT_EXAMPLE, headers: ETAG_HEADER })
  @ApiNotModifiedResponse({ description: 'The product is still at the version of If-None-Match' })
  @ProblemResponses({ 400: 'The id is not a UUID', 404: 'No product has this id' })
  async get(
    @Param() { id }: IdParams,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse | undefined> {
    const product = await this.queryBus.execute(new GetProductQuery(id));
    if (!product) throw new NotFoundException(`product ${id} does not exist`);
    if (notModified(ifNoneMatch, entityTagOf(product.version))) {
      void reply.status(304).header('ETag', entityTagOf(product.version));
      return undefined;
    }
    return this.withEntityTag(reply, product);
  }

  @Patch(':id')
  @BodyLimit(PRODUCT_BODY_LIMIT)
  @Requires('catalog:write')
  @ApiOperation({
    summary: 'Change some fields of a product; its version goes up by one',
    description: 'Conditional with If-Match: "<version>" (its ETag) or a body version: 412 when it moved on.',
  })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ProductResponse, example: PRODUCT_EXAMPLE, headers: ETAG_HEADER })
  @ProblemResponses(412, 413, 415, {
    400: 'Invalid or unknown fields, no field at all, or a malformed If-Match',
    404: 'No product has this id',
    409: 'Another product has this sku',
  })
  async update(
    @Param() { id }: IdParams,
    @Body() body: UpdateProductRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    const { version, ...fields } = body;
    const expectedVersion = expectedVersionOf(ifMatch, version);
    const changes: Partial<ProductDetails> = Object.fromEntries(
      Object.entries(fields).filter(([, value]) => value !== undefined),
    );
    if (Object.keys(changes).length === 0) {
      throw new InvalidInputException([{ field: 'body', message: 'must change at least one field' }]);
    }
    const product = await this.commandBus
      .execute(new UpdateProductCommand(id, changes, expectedVersion))
      .catch(rethrowForHttp);
    return this.withEntityTag(reply, product);
  }

  @Post(':id/archive')
  @Requires('catalog:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Archive a product: out of search, still readable by id; archiving it again changes nothing',
  })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ProductResponse, example: { ...PRODUCT_EXAMPLE, status: 'archived' }, headers: ETAG_HEADER })
  @ProblemResponses(412, { 400: 'The id is not a UUID, or a malformed If-Match', 404: 'No product has this id' })
  async archive(
    @Param() { id }: IdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    const product = await this.commandBus
      .execute(new ArchiveProductCommand(id, expectedVersionOf(ifMatch, undefined)))
      .catch(rethrowForHttp);
    return this.withEntityTag(reply, product);
  }

  private withEntityTag(reply: FastifyReply, product: ProductView): ProductResponse {
    void reply.header('ETag', entityTagOf(product.version));
    return toProductResponse(product);
  }
}
