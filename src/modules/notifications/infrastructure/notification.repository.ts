import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { columnsOf, rowsOf } from '../../../../libs/persistence';
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
  status_reason: string | null;
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
    statusReason: row.status_reason,
    createdAt: new Date(row.created_at),
  };
}

/** `notifications.notification`. Writes take the transaction's manager; reads use the data source. */
@Injectable()
export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the notifications not recorded yet for their order and template; returns the ids of
   * those recorded now (a duplicate of a recorded one, or of one earlier in the list, is not).
   */
  async claimMany(manager: EntityManager, notifications: readonly Omit<Notification, 'createdAt'>[]): Promise<Set<string>> {
    const rows = rowsOf<{ id: string }>(
      await manager.query(
        `INSERT INTO notifications.notification (id, order_id, customer_id, channel, template, recipient, subject, body, status, status_reason)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
         ON CONFLICT (order_id, template) DO NOTHING
         RETURNING id`,
        columnsOf(notifications, (n) => [
          n.id,
          n.orderId,
          n.customerId,
          n.channel,
          n.template,
          n.recipient,
          n.subject,
          n.body,
          n.status,
          n.statusReason,
        ]),
      ),
    );
    return new Set(rows.map((row) => row.id));
  }

  async setStatusMany(manager: EntityManager, ids: readonly string[], status: NotificationStatus): Promise<void> {
    if (ids.length === 0) return;
    await manager.query('UPDATE notifications.notification SET status = $2 WHERE id = ANY($1::uuid[])', [ids, status]);
  }

  async listByOrder(orderId: string, customerId?: string): Promise<Notification[]> {
    const rows = await this.dataSource.query<NotificationRow[]>(
      `SELECT id, order_id, customer_id, channel, template, recipient, subject, body, status, status_reason, created_at
       FROM notifications.notification WHERE order_id = $1 AND ($2::text IS NULL OR customer_id = $2)
       ORDER BY created_at, id`,
      [orderId, customerId ?? null],
    );
    return rows.map(toNotification);
  }
}
