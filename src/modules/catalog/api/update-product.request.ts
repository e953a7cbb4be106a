import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PRODUCT_RULES, ProductAttributes } from '../domain/product';
import { attributesSchema, SKU_MESSAGE } from './create-product.request';
import { MoneyRequest } from './money.request';

/** Validates the field when it is present; unlike IsOptional, a null is an error, not an omission. */
const IfPresent = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

/** Any of the fields of a new product; those left out keep their values. */
export class UpdateProductRequest {
  @ApiPropertyOptional({ example: 'TEE-BLK-M', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' })
  @IfPresent()
  @IsString()
  @Length(1, PRODUCT_RULES.sku.maxLength)
  @Matches(PRODUCT_RULES.sku.pattern, { message: SKU_MESSAGE })
  sku?: string;

  @ApiPropertyOptional({ example: 'Black T-shirt', minLength: 1, maxLength: 200 })
  @IfPresent()
  @IsString()
  @Length(1, PRODUCT_RULES.name.maxLength)
  name?: string;

  @ApiPropertyOptional({ example: 'Organic cotton crew-neck tee', minLength: 0, maxLength: 5000 })
  @IfPresent()
  @IsString()
  @Length(0, PRODUCT_RULES.description.maxLength)
  description?: string;

  @ApiPropertyOptional({ example: 'apparel', minLength: 1, maxLength: 100 })
  @IfPresent()
  @IsString()
  @Length(1, PRODUCT_RULES.category.maxLength)
  category?: string;

  @ApiPropertyOptional({ type: MoneyRequest })
  @IfPresent()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyRequest)
  price?: MoneyRequest;

  @ApiPropertyOptional({ type: 'integer', example: 42, minimum: 0, maximum: PRODUCT_RULES.popularity.max })
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(PRODUCT_RULES.popularity.max)
  popularity?: number;

  @ApiPropertyOptional(attributesSchema('Replaces all the attributes; same rules as on creation'))
  @IfPresent()
  @IsObject()
  attributes?: ProductAttributes;

  @ApiPropertyOptional({
    type: 'integer',
    example: 3,
    minimum: 1,
    description: 'The version this edit is based on (alternative to If-Match): 412 if the product moved on',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}
