import { IsUUID } from 'class-validator';

export class StockReservedV1Payload {
  @IsUUID()
  orderId!: string;
}
