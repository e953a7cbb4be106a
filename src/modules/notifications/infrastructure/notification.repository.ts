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
  html_body: string;
  status: NotificationStatus;
  status_reason: string | null;
  attempts: number;
  resends: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  sent_at: Date | null;
  created_at: Date;
}

const COLUMNS = `id, order_id, customer_id, channel, template, recipient, subject, body, html_body, status, status_reason,
  attempts, resends, last_error, next_attempt_at, sent_at, created_at`;

const dateOrNull = (value: Date | null): Date | null => (value === null ? null : new Date(value));

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
    html: row.html_body,
    status: row.status,
    statusReason: row.status_reason,
    attempts: row.attempts,
    resends: row.resends,
    lastError: row.last_error,
    nextAttemptAt: dateOrNull(row.next_attempt_at),
    sentAt: dateOrNull(row.sent_at),
    createdAt: new Date(row.created_at),
  };
}

/**
 * A notification as its event records it: not tried yet. `noticeKey` tells notices of one kind
 * for one order apart (a refund's id); empty for a notice an order gets once.
 */
export type NewNotification = Omit<Notification, 'attempts' | 'resends' | 'lastError' | 'nextAttemptAt' | 'sentAt' | 'createdAt'> & {
  noticeKey: string;
};

export interface NotificationFilter {
  orderId?: string;
  customerId?: string;
  limit: number;
}

/** `notifications.notification`. Writes of an event's transaction take its manager; the delivery worker's use the data source. */
@Injectable()
export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the notifications not recorded yet for their order, template, notice key and channel, the PENDING ones
   * due now; returns the ids of those recorded now (a duplicate of a recorded one, or of one
   * earlier in the list, is not).
   */
  async claimMany(manager: EntityManager, notifications: readonly NewNotification[]): Promise<Set<string>> {
    const rows = rowsOf<{ id: string }>(
      await manager.query(
        `INSERT INTO notifications.notification
           (id, order_id, customer_id, notice_key, channel, template, recipient, subject, body, html_body, status, status_reason, next_attempt_at)
         SELECT *, CASE WHEN status = 'PENDING' THEN now() END
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
           AS n(id, order_id, customer_id, notice_key, channel, template, recipient, subject, body, html_body, status, status_reason)
         ON CONFLICT (order_id, template, notice_key, channel) DO NOTHING
         RETURNING id`,
        columnsOf(notifications, (n) => [
          n.id,
          n.orderId,
          n.customerId,
          n.noticeKey,
          n.channel,
          n.template,
          n.recipient,
          n.subject,
          n.body,
          n.html,
          n.status,
          n.statusReason,
        ]),
      ),
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Leases up to `limit` due PENDING notifications to the caller for `leaseMs` and counts the
   * attempt now, so a worker that dies mid-send still uses one up. `FOR UPDATE SKIP LOCKED`:
   * workers of several processes take disjoint rows.
   */
  async claimDue(limit: number, leaseMs: number): Promise<Notification[]> {
    const rows = rowsOf<NotificationRow>(
      await this.dataSource.query(
        `UPDATE notifications.notification
         SET locked_until = now() + make_interval(secs => $2::float8 / 1000), attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM notifications.notification
           WHERE status = 'PENDING' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING ${COLUMNS}`,
        [limit, leaseMs],
      ),
    );
    return rows.map(toNotification);
  }

  async markSent(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE notifications.notification
       SET status = 'SENT', sent_at = now(), next_attempt_at = NULL, locked_until = NULL, last_error = NULL
       WHERE id = ANY($1::uuid[]) AND status = 'PENDING'`,
      [ids],
    );
  }

  async markNotSent(notifications: readonly { id: string; reason: string }[]): Promise<void> {
    if (notifications.length === 0) return;
    await this.dataSource.query(
      `UPDATE notifications.notification n
       SET status = 'NOT_SENT', status_reason = u.reason, next_attempt_at = NULL, locked_until = NULL
       FROM unnest($1::uuid[], $2::text[]) AS u(id, reason)
       WHERE n.id = u.id AND n.status = 'PENDING'`,
      columnsOf(notifications, (n) => [n.id, n.reason]),
    );
  }

  async scheduleRetry(id: string, error: string, delayMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications.notification
       SET last_error = $2, locked_until = NULL, next_attempt_at = now() + make_interval(secs => $3::float8 / 1000)
       WHERE id = $1 AND status = 'PENDING'`,
      [id, error, delayMs],
    );
  }

  /** Marks a notification FAILED in `manager`'s transaction; false when it was no longer pending. */
  async markFailed(manager: EntityManager, id: string, error: string): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await manager.query(
        `UPDATE notifications.notification
         SET status = 'FAILED', last_error = $2, next_attempt_at = NULL, locked_until = NULL
         WHERE id = $1 AND status = 'PENDING' RETURNING id`,
        [id, error],
      ),
    );
    return rows.length > 0;
  }

  /** The notification, locked until `manager`'s transaction ends: resends of it take turns. */
  async lock(manager: EntityManager, id: string): Promise<Notification | undefined> {
    const [row] = await manager.query<NotificationRow[]>(`SELECT ${COLUMNS} FROM notifications.notification WHERE id = $1 FOR UPDATE`, [id]);
    return row && toNotification(row);
  }

  /** Queues a notification to be sent again to `recipient`, as a new delivery, with its attempts counted afresh. */
  async requeue(manager: EntityManager, id: string, recipient: string): Promise<Notification> {
    const [row] = rowsOf<NotificationRow>(
      await manager.query(
        `UPDATE notifications.notification
         SET status = 'PENDING', status_reason = NULL, recipient = $2, attempts = 0, resends = resends + 1, last_error = NULL,
             next_attempt_at = now(), locked_until = NULL
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, recipient],
      ),
    );
    return toNotification(row);
  }

  /** What a resend with this Idempotency-Key answered, if there was one. */
  async resendAnswer<T>(manager: EntityManager, id: string, idempotencyKey: string): Promise<T | undefined> {
    const [row] = await manager.query<{ response: T }[]>(
      'SELECT response FROM notifications.resend WHERE notification_id = $1 AND idempotency_key = $2',
      [id, idempotencyKey],
    );
    return row?.response;
  }

  async recordResend(manager: EntityManager, id: string, idempotencyKey: string, requestedBy: string, response: unknown): Promise<void> {
    await manager.query(
      `INSERT INTO notifications.resend (notification_id, idempotency_key, requested_by, response) VALUES ($1, $2, $3, $4::jsonb)`,
      [id, idempotencyKey, requestedBy, JSON.stringify(response)],
    );
  }

  /** Oldest first, at most `limit`; only those matching every filter given. */
  async list({ orderId, customerId, limit }: NotificationFilter): Promise<Notification[]> {
    const rows = await this.dataSource.query<NotificationRow[]>(
      `SELECT ${COLUMNS} FROM notifications.notification
       WHERE ($1::uuid IS NULL OR order_id = $1) AND ($2::text IS NULL OR customer_id = $2)
       ORDER BY created_at, id LIMIT $3`,
      [orderId ?? null, customerId ?? null, limit],
    );
    return rows.map(toNotification);
  }
}
