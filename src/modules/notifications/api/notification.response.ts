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

export const NOTIFICATION_LIST_EXAMPLE: NotificationListResponse = {
  items: [
    {
      id: '0190a3f2-3c2b-7f54-9b72-3c4d5e6f7081',
      orderId: '0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f',
      customerId: 'cus_42',
      channel: 'email',
      template: 'order-confirmed',
      subject: 'Your order is confirmed',
      body: 'Thank you for your order of EUR 39.98.',
      status: 'SENT',
      createdAt: '2026-01-15T09:30:00.500Z',
    },
  ],
};
