import { ApiProperty } from '@nestjs/swagger';
import { Notification, NOTIFICATION_CHANNELS, NOTIFICATION_TEMPLATES } from '../domain/notification';

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: NOTIFICATION_CHANNELS, description: 'One notification per order, kind of notice (and refund) and channel the customer chose' })
  channel!: string;
  @ApiProperty({ enum: NOTIFICATION_TEMPLATES }) template!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'E-mail address, E.164 phone number, or push device tokens separated by spaces; null when the customer has none',
  })
  recipient!: string | null;
  @ApiProperty({ description: "The e-mail's subject or the push's title; empty for an SMS" }) subject!: string;
  @ApiProperty({ description: 'The plain-text body' }) body!: string;
  @ApiProperty({
    enum: ['PENDING', 'SENT', 'NOT_SENT', 'FAILED'],
    description: 'PENDING: queued or due for a retry; NOT_SENT: kept unsent on purpose (see statusReason); FAILED: refused or out of attempts',
  })
  status!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why a notification was not sent: no address, no phone number, no device, no SMTP_URL, no SMS_PROVIDER_URL, no PUSH_PROVIDER_URL',
    example: 'no SMTP_URL',
  })
  statusReason!: string | null;
  @ApiProperty({ type: 'integer', description: 'Sends tried so far' }) attempts!: number;
  @ApiProperty({ nullable: true, type: String, description: 'What the last failed attempt met' }) lastError!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the channel accepted it' }) sentAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static of(notification: Notification): NotificationResponse {
    const { id, orderId, customerId, channel, template, recipient, subject, body, status, statusReason, attempts, lastError } = notification;
    return {
      id,
      orderId,
      customerId,
      channel,
      template,
      recipient,
      subject,
      body,
      status,
      statusReason,
      attempts,
      lastError,
      sentAt: notification.sentAt?.toISOString() ?? null,
      createdAt: notification.createdAt.toISOString(),
    };
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
      recipient: 'ann@example.com',
      subject: 'Your order is confirmed',
      body: 'Thank you for your order of EUR 39.98.',
      status: 'SENT',
      statusReason: null,
      attempts: 2,
      lastError: null,
      sentAt: '2026-01-15T09:30:02.100Z',
      createdAt: '2026-01-15T09:30:00.500Z',
    },
  ],
};
