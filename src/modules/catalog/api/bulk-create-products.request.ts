import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { BULK_CREATE_LIMIT } from '../application/bulk-create-products/bulk-create-products.command';
import { CreateProductRequest } from './create-product.request';

export class BulkCreateProductsRequest {
  @ApiProperty({ type: [CreateProductRequest], minItems: 1, maxItems: BULK_CREATE_LIMIT })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_CREATE_LIMIT)
  @ValidateNested({ each: true })
  @Type(() => CreateProductRequest)
  products!: CreateProductRequest[];
}
