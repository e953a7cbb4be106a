import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../../../../libs/persistence';
import { Notification, NotificationChannel, NotificationStatus, NotificationTemplate } from '../domain/notification';

interface NotificationRow {
  id: string;
  order_id: string;
  customer_id: string;
  channel: NotificationChannel;
  template: NotificationTemplate;
  recipient: string | null;
  subject: string;
  body: string;
  status: NotificationStatus;
  created_at: Date;
}

function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    channel: row.channel,
    template: row.template,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    status: row.status,
    createdAt: new Date(row.created_at),
  };
}

/** `notifications.notification`. Writes take the transaction's manager; reads use the data source. */
@Injectable()
export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims the order's notification of this template. False when the order already has one:
   * then it was sent before, or is being sent by a transaction that will commit or roll back first.
   */
  async claim(manager: EntityManager, notification: Omit<Notification, 'createdAt'>): Promise<boolean> {
    const rows = rowsOf<unknown>(
      await manager.query(
        `INSERT INTO notifications.notification
           (id, order_id, customer_id, channel, template, recipient, subject, body, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (order_id, template) DO NOTHING
         RETURNING id`,
        [
          notification.id,
          notification.orderId,
          notification.customerId,
          notification.channel,
          notification.template,
          notification.recipient,
          notification.subject,
          notification.body,
          notification.status,
        ],
      ),
    );
    return rows.length === 1;
  }

  async setStatus(manager: EntityManager, id: string, status: NotificationStatus): Promise<void> {
    await manager.query('UPDATE notifications.notification SET status = $2 WHERE id = $1', [id, status]);
  }

  async listByOrder(orderId: string): Promise<Notification[]> {
    const rows = await this.dataSource.query<NotificationRow[]>(
      `SELECT id, order_id, customer_id, channel, template, recipient, subject, body, status, created_at
       FROM notifications.notification WHERE order_id = $1 ORDER BY created_at, id`,
      [orderId],
    );
    return rows.map(toNotification);
  }
}
