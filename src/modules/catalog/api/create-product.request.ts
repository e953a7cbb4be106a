import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { PRODUCT_RULES } from '../domain/product';
import { MoneyRequest } from './money.request';

export const SKU_MESSAGE = 'may contain only letters, digits, dots, underscores and hyphens';

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

  @ApiPropertyOptional({ example: 42, minimum: 0, maximum: PRODUCT_RULES.popularity.max, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(PRODUCT_RULES.popularity.max)
  popularity?: number;
}
