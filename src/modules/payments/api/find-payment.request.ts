import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class FindPaymentRequest {
  @ApiProperty({ format: 'uuid', description: 'The order whose payment to show' })
  @IsUUID()
  orderId!: string;
}
