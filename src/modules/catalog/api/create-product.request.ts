import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { PRODUCT_RULES, ProductAttributes } from '../domain/product';
import { MoneyRequest } from './money.request';

export const SKU_MESSAGE = 'may contain only letters, digits, dots, underscores and hyphens';

const ATTRIBUTES_DESCRIPTION =
  'Up to 50 keys of 1–64 letters, digits, _ or -; values are strings (≤ 500), numbers or booleans';

/** OpenAPI description of the free attributes; their rules are the domain's (checked there). */
export function attributesSchema(description = ATTRIBUTES_DESCRIPTION): ApiPropertyOptions {
  return {
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string', maxLength: 500 }, { type: 'number' }, { type: 'boolean' }] },
    maxProperties: PRODUCT_RULES.attributes.maxKeys,
    example: { color: 'black', size: 'M', organic: true, weightGrams: 180 },
    description,
  };
}

export class CreateProductRequest {
  @ApiProperty({ example: 'TEE-BLK-M', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' })
  @IsString()
  @Length(1, PRODUCT_RULES.sku.maxLength)
  @Matches(PRODUCT_RULES.sku.pattern, { message: SKU_MESSAGE })
  sku!: string;

  @ApiProperty({ example: 'Black T-shirt', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, PRODUCT_RULES.name.maxLength)
  name!: string;

  @ApiProperty({ example: 'Organic cotton crew-neck tee', minLength: 0, maxLength: 5000 })
  @IsString()
  @Length(0, PRODUCT_RULES.description.maxLength)
  description!: string;

  @ApiProperty({ example: 'apparel', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, PRODUCT_RULES.category.maxLength)
  category!: string;

  @ApiProperty({ type: MoneyRequest })
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyRequest)
  price!: MoneyRequest;

  @ApiPropertyOptional({ type: 'integer', example: 42, minimum: 0, maximum: PRODUCT_RULES.popularity.max, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(PRODUCT_RULES.popularity.max)
  popularity?: number;

  @ApiPropertyOptional(attributesSchema(`${ATTRIBUTES_DESCRIPTION}; none by default`))
  @IsOptional()
  @IsObject()
  attributes?: ProductAttributes;
}
