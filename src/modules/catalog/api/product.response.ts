import { ApiProperty, OmitType } from '@nestjs/swagger';
import { SearchDocument, SearchFacets, SearchPage, SearchSort } from '../application/ports/product-search-index';
import { INDEXING_STATUSES, IndexingStatus, ProductView } from '../application/product.view';
import { PRODUCT_STATUSES, ProductAttributes, ProductStatus } from '../domain/product';
import { attributesSchema } from './create-product.request';
import { encodeSearchCursor } from './search-cursor';

export class MoneyResponse {
  @ApiProperty({ type: 'integer', example: 1999, description: 'Integer minor units' })
  amount!: number;

  @ApiProperty({ example: 'EUR' })
  currency!: string;
}

export class IndexingResponse {
  @ApiProperty({ enum: INDEXING_STATUSES, description: 'Whether search reflects the current version' })
  status!: IndexingStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When search last caught up' })
  indexedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last indexing attempt failed' })
  error!: string | null;
}

/** A product as its admin sees it (the write model). */
export class ProductResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'TEE-BLK-M' })
  sku!: string;

  @ApiProperty({ example: 'Black T-shirt' })
  name!: string;

  @ApiProperty({ example: 'Organic cotton crew-neck tee' })
  description!: string;

  @ApiProperty({ example: 'apparel' })
  category!: string;

  @ApiProperty({ type: MoneyResponse })
  price!: MoneyResponse;

  @ApiProperty({ type: 'integer', example: 42 })
  popularity!: number;

  @ApiProperty(attributesSchema())
  attributes!: ProductAttributes;

  @ApiProperty({ enum: PRODUCT_STATUSES, description: 'Archived products are out of search and sale' })
  status!: ProductStatus;

  @ApiProperty({ type: 'integer', example: 1, description: '1 on creation, +1 on every change; the ETag' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: IndexingResponse })
  indexing!: IndexingResponse;
}

/** A product as search shows it (the read model): active products only; `version` is the one the index holds. */
export class ProductHitResponse extends OmitType(ProductResponse, ['status', 'updatedAt', 'indexing'] as const) {}

export class CategoryCountResponse {
  @ApiProperty({ example: 'laptops' })
  value!: string;

  @ApiProperty({ type: 'integer', example: 120 })
  count!: number;
}

export class PriceBucketResponse {
  @ApiProperty({ type: 'integer', example: 10000, description: 'Lowest amount in the bucket, minor units' })
  from!: number;

  @ApiProperty({ type: 'integer', nullable: true, example: 25000, description: 'Exclusive; null for the last bucket' })
  to!: number | null;

  @ApiProperty({ type: 'integer', example: 37 })
  count!: number;
}

export class FacetsResponse {
  @ApiProperty({ type: 'integer', example: 412, description: 'Products matching the query over all pages' })
  total!: number;

  @ApiProperty({ type: [CategoryCountResponse], description: 'Most frequent first' })
  categories!: CategoryCountResponse[];

  @ApiProperty({ type: [PriceBucketResponse], description: 'Non-empty buckets, cheapest first' })
  priceBuckets!: PriceBucketResponse[];
}

export class ProductSearchPageResponse {
  @ApiProperty({ type: [ProductHitResponse] })
  items!: ProductHitResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor!: string | null;

  @ApiProperty({ type: FacetsResponse, required: false, description: 'With facets=true' })
  facets?: FacetsResponse;

  @ApiProperty({
    required: false,
    description: 'Present (true) when the search index failed and the write model answered: no relevance, facets or next page',
  })
  degraded?: boolean;
}

export class BulkCreateProductsResponse {
  @ApiProperty({ type: 'integer', example: 1000 })
  count!: number;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Ids of the new products, in request order' })
  ids!: string[];
}

export const PRODUCT_EXAMPLE: ProductResponse = {
  id: '0190a000-0000-7000-8000-000000000001',
  sku: 'TEE-BLK-M',
  name: 'Black T-shirt',
  description: 'Organic cotton crew-neck tee',
  category: 'apparel',
  price: { amount: 1999, currency: 'EUR' },
  popularity: 42,
  attributes: { color: 'black', size: 'M', organic: true, weightGrams: 180 },
  status: 'active',
  version: 3,
  createdAt: '2026-01-10T08:00:00.000Z',
  updatedAt: '2026-01-14T16:20:00.000Z',
  indexing: { status: 'indexed', indexedAt: '2026-01-14T16:20:00.150Z', error: null },
};

const { status: _status, updatedAt: _updatedAt, indexing: _indexing, ...HIT_EXAMPLE } = PRODUCT_EXAMPLE;

export const SEARCH_PAGE_EXAMPLE: ProductSearchPageResponse = {
  items: [HIT_EXAMPLE],
  nextCursor: 'eyJzIjoicmVsZXZhbmNlIiwiayI6IjAuMDYwNzkyNyIsImlkIjoiMDE5MGEwMDAifQ',
  facets: {
    total: 12,
    categories: [{ value: 'apparel', count: 12 }],
    priceBuckets: [
      { from: 1000, to: 2500, count: 9 },
      { from: 2500, to: null, count: 3 },
    ],
  },
};

export const BULK_CREATE_EXAMPLE: BulkCreateProductsResponse = {
  count: 2,
  ids: ['0190a3f2-5d2f-7b11-8c8e-4f5a6b7c8d9e', '0190a3f2-5d2f-7b11-8c8e-4f5a6b7c8d9f'],
};

export function toProductResponse(view: ProductView): ProductResponse {
  return {
    id: view.id,
    sku: view.sku,
    name: view.name,
    description: view.description,
    category: view.category,
    price: { amount: view.price.amount, currency: view.price.currency },
    popularity: view.popularity,
    attributes: view.attributes,
    status: view.status,
    version: view.version,
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
    indexing: {
      status: view.indexing.status,
      indexedAt: view.indexing.indexedAt?.toISOString() ?? null,
      error: view.indexing.error,
    },
  };
}

function toHitResponse(hit: SearchDocument): ProductHitResponse {
  return {
    id: hit.productId,
    sku: hit.sku,
    name: hit.name,
    description: hit.description,
    category: hit.category,
    price: { amount: hit.price.amount, currency: hit.price.currency },
    popularity: hit.popularity,
    attributes: hit.attributes,
    version: hit.version,
    createdAt: hit.createdAt.toISOString(),
  };
}

function toFacetsResponse(facets: SearchFacets): FacetsResponse {
  return { total: facets.total, categories: facets.categories, priceBuckets: facets.priceBuckets };
}

export function toSearchPageResponse(sort: SearchSort, page: SearchPage): ProductSearchPageResponse {
  return {
    items: page.hits.map(toHitResponse),
    nextCursor: page.next === null ? null : encodeSearchCursor(sort, page.next),
    ...(page.facets && { facets: toFacetsResponse(page.facets) }),
    ...(page.degraded && { degraded: true }),
  };
}
