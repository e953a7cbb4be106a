import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class ListNotificationsRequest {
  @ApiProperty({ format: 'uuid', description: 'The order the notifications are about' })
  @IsUUID()
  orderId!: string;
}
