import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { InvalidInputException } from '../../../../libs/http';
import { ProductSearch, SEARCH_SORTS, SearchSort } from '../application/ports/product-search-index';
import { PRODUCT_RULES } from '../domain/product';
import { decodeSearchCursor } from './search-cursor';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export class SearchProductsRequest {
  @ApiPropertyOptional({
    example: 'lapt',
    minLength: 1,
    maxLength: 200,
    description: 'Words to find in name (weighted higher) and description; each matches as a prefix',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({
    example: 'laptops',
    minLength: 1,
    maxLength: PRODUCT_RULES.category.maxLength,
    description: 'Exact category',
  })
  @IsOptional()
  @IsString()
  @Length(1, PRODUCT_RULES.category.maxLength)
  category?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 50000,
    minimum: 0,
    maximum: PRODUCT_RULES.price.maxAmount,
    description: 'Lowest price amount, minor units, inclusive',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(PRODUCT_RULES.price.maxAmount)
  minPrice?: number;

  @ApiPropertyOptional({
    type: 'integer',
    example: 150000,
    minimum: 0,
    maximum: PRODUCT_RULES.price.maxAmount,
    description: 'Highest price amount, minor units, inclusive',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(PRODUCT_RULES.price.maxAmount)
  maxPrice?: number;

  @ApiPropertyOptional({
    enum: SEARCH_SORTS,
    description: 'Default: relevance with q, else newest. `oldest` is creation order. relevance needs q.',
  })
  @IsOptional()
  @IsIn(SEARCH_SORTS)
  sort?: SearchSort;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page, with the same sort' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ default: false, description: 'Also count the whole result by category and price bucket' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  facets?: boolean;
}

/** Lower-case runs of letters and digits: safe to put into a tsquery as they are. */
export function searchWordsOf(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The search a valid request asks for; 400 naming the parameter for rules across parameters. */
export function productSearchOf(request: SearchProductsRequest): ProductSearch {
  const errors: { field: string; message: string }[] = [];
  const text = request.q?.trim();
  const words = text === undefined ? [] : searchWordsOf(text);
  if (text !== undefined && words.length === 0) {
    errors.push({ field: 'q', message: 'must contain a letter or a digit' });
  }
  const { minPrice, maxPrice } = request;
  if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice) {
    errors.push({ field: 'minPrice', message: `must not exceed maxPrice (${minPrice} > ${maxPrice})` });
  }
  const sort = request.sort ?? (text === undefined ? 'newest' : 'relevance');
  if (sort === 'relevance' && text === undefined) {
    errors.push({ field: 'sort', message: 'relevance needs q' });
  }
  if (errors.length > 0) throw new InvalidInputException(errors);
  return {
    ...(text !== undefined && { q: { text, words } }),
    ...(request.category !== undefined && { category: request.category }),
    ...(minPrice !== undefined && { minPrice }),
    ...(maxPrice !== undefined && { maxPrice }),
    sort,
    limit: request.limit ?? DEFAULT_PAGE_SIZE,
    after: decodeSearchCursor(request.cursor, sort),
    facets: request.facets ?? false,
  };
}
