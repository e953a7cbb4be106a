import { IsUuid } from '../../../../libs/http';

export class ListNotificationsRequest {
  @IsUuid({ description: 'The order the notifications are about', example: '0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f' })
  orderId!: string;
}
