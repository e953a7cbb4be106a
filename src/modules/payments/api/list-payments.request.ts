import { IsUuid } from '../../../../libs/http';

export class ListPaymentsRequest {
  @IsUuid({ description: 'The order whose payments to list', example: '0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f' })
  orderId!: string;
}
