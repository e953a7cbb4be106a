import { ApiProperty } from '@nestjs/swagger';
import { ProductView } from '../application/product.view';

export class MoneyResponse {
  @ApiProperty({ example: 1999, description: 'Integer minor units' })
  amount!: number;

  @ApiProperty({ example: 'EUR' })
  currency!: string;
}

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

  @ApiProperty({ example: 42 })
  popularity!: number;

  @ApiProperty({ example: 1, description: '1 on creation, +1 on every change' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ProductPageResponse {
  @ApiProperty({ type: [ProductResponse] })
  items!: ProductResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor!: string | null;
}

export function toProductResponse(view: ProductView): ProductResponse {
  return {
    id: view.id,
    sku: view.sku,
    name: view.name,
    description: view.description,
    category: view.category,
    price: { amount: view.price.amount, currency: view.price.currency },
    popularity: view.popularity,
    version: view.version,
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
  };
}
