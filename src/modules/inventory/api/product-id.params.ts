import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class ProductIdParams {
  @ApiProperty({ format: 'uuid', example: '0190a000-0000-7000-8000-000000000001' })
  @IsUUID()
  productId!: string;
}
