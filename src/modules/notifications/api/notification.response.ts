import { ApiProperty } from '@nestjs/swagger';
import { Notification } from '../domain/notification';

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: ['email'] }) channel!: string;
  @ApiProperty({ enum: ['order-confirmed', 'order-rejected'] }) template!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ enum: ['PENDING', 'SENT'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static of(notification: Notification): NotificationResponse {
    const { id, orderId, customerId, channel, template, subject, body, status, createdAt } = notification;
    return { id, orderId, customerId, channel, template, subject, body, status, createdAt: createdAt.toISOString() };
  }
}

export class NotificationListResponse {
  @ApiProperty({ type: [NotificationResponse] }) items!: NotificationResponse[];
}
