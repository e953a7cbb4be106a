import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { IsLimit, UUID_PATTERN } from '../../../../libs/http';

/** As the ordering API accepts a customer id. */
export const CUSTOMER_ID_PATTERN = '^[A-Za-z0-9_.@:-]{1,100}$';

export class ListNotificationsRequest {
  @ApiProperty({ required: false, format: 'uuid', pattern: UUID_PATTERN, description: 'Only those about this order' })
  @IsOptional()
  @Matches(new RegExp(UUID_PATTERN), { message: 'orderId must be a UUID' })
  orderId?: string;

  @ApiProperty({ required: false, pattern: CUSTOMER_ID_PATTERN, description: "Only this customer's (staff); a customer sees only their own anyway" })
  @IsOptional()
  @IsString()
  @Matches(new RegExp(CUSTOMER_ID_PATTERN), { message: 'customerId must be 1-100 letters, digits or ._@:-' })
  customerId?: string;

  @IsLimit(500, 100)
  limit?: number;
}
